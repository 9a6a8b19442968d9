/**
 * English: problems the worker and lib report (storage, sync, reading the item) and the UI shows. The worker
 * builds each problem's English `message` from these (lib/problems.ts), and pages show them in their own language
 * by `key`; `{time}` in a sync message is filled, at display, from the problem's `retryAt`.
 */
export default {
  // The sync status (lib/sync/engine.ts, pull.ts, lib/background/sync-scheduler.ts).
  'sync.offline': 'Offline: verdicts wait here and are sent when the connection is back, retrying at {time}.',
  'sync.throttled': 'The server asked Loupe to wait: {reason}, retrying at {time}.',
  'sync.http': 'Server problem: {reason}, retrying at {time}.',
  'sync.notJson': 'Server problem: the server answered 200 with a body that is not JSON, retrying at {time}.',
  'sync.unreadable': 'Server problem: the server answered 200 with results Loupe cannot read, retrying at {time}.',
  'sync.noneConfirmed': {
    one: 'Server problem: the server answered 200 but confirmed none of the {count} record sent, retrying at {time}.',
    other: 'Server problem: the server answered 200 but confirmed none of the {count} records sent, retrying at {time}.',
  },
  'sync.unexpected': 'Server problem: unexpected HTTP {status}, retrying at {time}.',
  'sync.timeout': 'Server problem: no answer within {seconds} s, retrying at {time}.',
  'sync.unreachable': 'Server problem: the server could not be reached ({detail}), retrying at {time}.',
  'sync.auth': 'The endpoint refused the token ({reason}). Sync is paused until the token is changed in Options.',
  'sync.noPermission': 'Loupe may not reach {host}: save the endpoint again in Options to grant access.',
  // A record the server refused as too large, parked with the server's own words as `reason` (lib/sync/engine.ts):
  // lower case, as it is listed among the reasons the server gives itself (the popup's rejected list).
  'sync.tooLarge': 'too large for the server ({reason})',

  // Options › Sync › Test connection (lib/sync/test-connection.ts).
  'test.badEndpoint': 'Enter an https:// address first (http:// only for localhost or 127.0.0.1)',
  'endpoint.tokenRefused': 'The endpoint refused the token (HTTP {status})',
  'test.tokenWanted': 'The endpoint wants a token (HTTP {status}): add one and test again',
  'test.notLoupe': 'That address answered, but not as a Loupe endpoint (HTTP {status})',
  'endpoint.busy': 'The endpoint is busy (HTTP 429): try again in a minute',
  'endpoint.serverError': 'The endpoint has a server error (HTTP {status}): try again later',
  'test.unexpected': 'The endpoint answered HTTP {status}, which is not what a Loupe endpoint answers to a health check',
  'test.notOk': 'That address answered, but not as a Loupe endpoint (HTTP 200 without "ok": true)',
  'test.notJson': 'That address answered, but not as a Loupe endpoint (HTTP 200 that is not JSON)',
  'test.otherSchema': 'The endpoint speaks {schema}, not {expected}: it cannot take this Loupe’s batches',
  'test.connected': 'Connected: the endpoint accepts Loupe batches',
  'endpoint.timeout': 'Timed out after {duration}',
  'test.noAnswer': 'No answer from {host} — is the server running?',

  // The popup's team numbers (lib/sync/team-summary.ts).
  'team.badEndpoint': 'The sync endpoint must be https:// (http:// only for localhost or 127.0.0.1)',
  'team.tokenWanted': 'The endpoint wants a token for team numbers (HTTP {status})',
  'team.badRequest': 'The endpoint refused the request (HTTP 400)',
  'team.badRequestReason': 'The endpoint refused the request (HTTP 400): {reason}',
  'team.unexpected': 'The endpoint answered HTTP {status}, which is not a team summary',
  'team.notJson': 'The endpoint answered HTTP 200, but not with JSON',
  'team.invalid': 'The endpoint’s team summary is not a {schema} answer ({where}: {issue})',
  'team.otherDay': 'The endpoint answered for {answered}, not {day}',
  'team.noAnswer': 'No answer from {host}',

  // Saving a verdict, and taking it back (lib/audits.ts, lib/background/worker.ts, lib/panel-connection.ts).
  'storage.full': 'Not saved: the browser has no room left for Loupe’s data. Free disk space, then save again; your verdict is still here.',
  'storage.unavailable': 'Not saved: Loupe’s database could not be written ({detail}). Your verdict is still here; try saving again.',
  'worker.noAnswer': 'Not saved: Loupe’s background worker did not answer ({detail}). Your verdict is still here; try again.',
  'verdict.noAuditor': 'Set your auditor id first: verdicts are never recorded anonymously.',
  'verdict.otherSite': 'That item belongs to another site; nothing was saved.',
  'verdict.unknownTags': 'Unknown error tag {tags}: the taxonomy changed; pick the tags again.',
  'undo.gone': 'That verdict is no longer stored; nothing was undone.',
  'undo.changed': 'That verdict has changed since it was saved; nothing was undone.',
  'undo.tooLate': 'The time to undo that verdict has passed; record a new verdict instead.',
  'undo.otherSite': 'That verdict belongs to another site.',
  'undo.notYours': 'Only the auditor who saved a verdict can undo it.',

  // Inline notes (lib/background/note-handlers.ts, lib/notes/store.ts).
  'note.storageFull': 'Not saved: the browser has no room left for Loupe’s data. Free disk space, then save again; your note is still here.',
  'note.storageUnavailable': 'Not saved: Loupe’s database could not be written ({detail}). Your note is still here; try again.',
  'note.pageSilent': 'The labeling page did not answer: reload it, then try again.',
  'note.noAuditor': 'Set your auditor id first: notes are never written anonymously.',
  'note.otherSite': 'That item belongs to another site; the note was not saved.',
  'note.unknownTag': 'Unknown error tag "{tag}": the taxonomy changed; pick the tag again.',
  'note.replyNoAuditor': 'Set your auditor id first: replies are never written anonymously.',
  'note.replyElsewhere': 'That note is not on this site; the reply was not saved.',
  'note.replyEmpty': 'Write a reply, or acknowledge the note.',
  'note.deleteNoAuditor': 'Set your auditor id first.',
  'note.deleteElsewhere': 'That note is not on this site; nothing was deleted.',
  'note.gone': 'That note is no longer stored; nothing was changed.',
  'note.notAuthor': 'Only the person who wrote a note can change or delete it.',
  'note.deleted': 'That note was deleted; nothing was changed.',
  'note.parentGone': 'The note you answered is no longer stored; the reply was not saved.',
  'note.parentDeleted': 'The note you answered was deleted; the reply was not saved.',
  'note.parentIsReply': 'Answer the note itself, not one of its replies; the reply was not saved.',
  // A note that does not pass the schema (lib/notes/store.ts NoteInvalidError), by the field at fault; zod's own
  // words about it stay in the English message only. `{field}` is the path of a field none of these name.
  'note.invalidText': 'Not saved: the note’s text is empty or too long. Your note is still here.',
  'note.invalidTarget': 'Not saved: what the note is pinned to on the page cannot be stored. Pin it again.',
  'note.invalidTag': 'Not saved: the note’s error tag is not valid; pick the tag again.',
  'note.invalidAuthor': 'Not saved: your auditor id cannot sign a note; check it in Options.',
  'note.invalidItem': 'Not saved: Loupe could not tell which item the note is about; reload the page, then try again.',
  'note.invalid': 'Not saved: the note is not valid ({field}). Your note is still here.',

  // Annotate mode: why nothing could be pinned (lib/notes/describe-target.ts, lib/content/page-notes.ts).
  'pin.selectOnPage': 'Select text on the labeling page itself.',
  'pin.pickOnPage': 'Pick an element of the labeling page itself.',
  'pin.insideLoupe': 'Notes pin to the labeling page, not to Loupe’s own panel or notes.',
  'pin.empty': 'Select some text first.',
  'pin.whitespace': 'The selection is only spaces; select some words.',
  'pin.tooLong': 'The selection is too long to pin a note to: select at most {max} characters.',
  'pin.noContent': 'The page has no content to pin a note to.',
  'pin.unavailable': 'Loupe could not load annotate mode on this page: reload the page, then try again.',

  // The panel's link to the worker (lib/background/worker.ts, lib/panel-connection.ts).
  'panel.notUnderstood': 'Loupe could not understand this panel.',
  'panel.notOurs': 'This panel was not opened by Loupe on this page, so it shows nothing.',
  'panel.noData': 'Loupe could not open its data: {detail}',
  'panel.lost': 'Loupe lost its connection before the panel was set up. Reload the page.',
} as const;
