/**
 * "Agreement" (issue 4): Cohen's κ between two auditors of the same item, and between the labeler and the
 * auditor, with the observed and chance agreement behind it and words a lead can read it by. The pairs come from
 * lib/leads/agreement.ts over the same filtered audits as the rest of the dashboard.
 */
import type { ReactNode } from 'react';
import type { AuditFilter } from '../../lib/leads/audit-filter';
import type { Agreement, AuditAgreement } from '../../lib/leads/agreement';
import { kappaBand, kappaText, percent, plural } from './format';

interface AgreementSectionProps {
  agreement: AuditAgreement;
  filter: AuditFilter;
}

export function AgreementSection({ agreement, filter }: AgreementSectionProps) {
  const { qa, labeler } = agreement;
  // Tag and severity filters select on what the auditor found, so the pairs they leave are not a fair sample.
  const outcomeFiltered = filter.tagId !== undefined || filter.severity !== undefined;
  return (
    <section className="section agreement" aria-labelledby="agreement-title">
      <h2 id="agreement-title">Agreement</h2>
      <p className="detail">
        Cohen’s κ measures agreement beyond chance: 1 is full agreement, 0 is what chance alone would give, below 0
        is less than chance. The words beside it are Landis &amp; Koch’s bands (slight, fair, moderate, substantial,
        almost perfect): a rough guide, not a pass mark. With few pairs, one more item can move κ a lot.
      </p>
      {outcomeFiltered ? (
        <p className="message message--info">
          The error tag and severity filters keep only audits that carry them, so items where the other person saw
          no error drop out: read κ here with care.
        </p>
      ) : null}
      <div className="agreement__cards">
        <AgreementCard
          id="agreement-qa"
          title="Auditor vs auditor"
          about="Verdicts of the first two people who audited the same item: one pair per item, the earlier audit first."
          agreement={qa}
          pairsLabel="Items audited by two people"
          empty={
            <>
              <p className="empty">No item was audited by two people in these dates.</p>
              {filter.auditorId !== undefined ? <p className="detail">The auditor filter shows one auditor’s audits only.</p> : null}
            </>
          }
          leftOut={
            qa.notComparable > 0
              ? `${plural(qa.notComparable, 'later audit', 'later audits')} of the same items left out: only the first two auditors of an item are compared.`
              : null
          }
        />
        <AgreementCard
          id="agreement-labeler"
          title="Labeler vs auditor"
          about="The labeler’s decision read from the page against the auditor’s: the same decision when the verdict is correct, the corrected decision when it is incorrect."
          agreement={labeler}
          pairsLabel="Audits compared"
          empty={
            labeler.notComparable === 0 ? (
              <>
                <p className="empty">No labeler decisions were read on these audits.</p>
                <p className="detail">
                  Loupe reads them when a site profile has a “Labeler’s decision” field (Loupe’s options, Sites).
                </p>
              </>
            ) : (
              <p className="empty">
                No audit with a labeler decision names a decision of the auditor’s own:{' '}
                {plural(labeler.notComparable, 'audit is', 'audits are')} unsure, or incorrect without a corrected decision.
              </p>
            )
          }
          leftOut={
            labeler.notComparable > 0
              ? `${plural(labeler.notComparable, 'audit', 'audits')} with a labeler decision left out: unsure, or incorrect without a corrected decision.`
              : null
          }
        />
      </div>
    </section>
  );
}

interface AgreementCardProps {
  id: string;
  title: string;
  about: string;
  agreement: Agreement;
  pairsLabel: string;
  /** What to say when there is no pair. */
  empty: ReactNode;
  leftOut: string | null;
}

function AgreementCard({ id, title, about, agreement, pairsLabel, empty, leftOut }: AgreementCardProps) {
  const { kappa } = agreement;
  return (
    <section className="agreement__card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p className="detail">{about}</p>
      {kappa ? (
        <>
          <p className="agreement__kappa">
            κ = <strong>{kappaText(kappa.kappa)}</strong>: {kappaBand(kappa.kappa)} agreement
          </p>
          <dl className="agreement__figures">
            <div>
              <dt>Observed agreement</dt>
              <dd>{percent(kappa.observed)}</dd>
            </div>
            <div>
              <dt>Expected by chance</dt>
              <dd>{percent(kappa.expected)}</dd>
            </div>
            <div>
              <dt>{pairsLabel}</dt>
              <dd>{agreement.pairs.toLocaleString('en')}</dd>
            </div>
          </dl>
          {leftOut ? <p className="detail">{leftOut}</p> : null}
        </>
      ) : (
        empty
      )}
    </section>
  );
}
