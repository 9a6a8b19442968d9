/** First run: who is auditing. Nothing can be recorded until the worker knows (it then pushes a new context). */
import { useId, useState, type FormEvent } from 'react';
import type { PanelClient } from '@/lib/panel-client';
import { describeFailure } from '@/lib/problems';
import { useT } from './i18n';
import { messageOf } from './labels';

export function AuditorPrompt({ client }: { client: PanelClient }) {
  const id = useId();
  const { t } = useT();
  const [value, setValue] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const auditorId = value.trim();
    if (!auditorId) {
      setError(t('panel.auditor.empty'));
      return;
    }
    setPending(true);
    setError(null);
    try {
      const reply = await client.setAuditor(auditorId);
      if (!reply.ok) setError(describeFailure(reply.error, { t }));
    } catch (failure) {
      setError(messageOf(failure, t('panel.auditor.unreachable')));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="loupe-auditor" onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('panel.auditor.title')}</h2>
      <label htmlFor={`${id}-input`}>{t('panel.auditor.label')}</label>
      <input
        id={`${id}-input`}
        type="text"
        value={value}
        maxLength={128}
        autoComplete="off"
        required
        aria-describedby={`${id}-hint`}
        aria-invalid={error ? true : undefined}
        onChange={(event) => setValue(event.target.value)}
      />
      <p id={`${id}-hint`} className="loupe-hint">
        {t('panel.auditor.hint')}
      </p>
      {error && (
        <p role="alert" className="loupe-alert">
          {error}
        </p>
      )}
      <button type="submit" className="loupe-primary" aria-disabled={pending || undefined}>
        {pending ? t('panel.saving') : t('panel.save')}
      </button>
    </form>
  );
}
