/**
 * "Agreement" (issue 4): Cohen's κ between two auditors of the same item, and between the labeler and the
 * auditor, with the observed and chance agreement behind it and words a lead can read it by. The pairs come from
 * lib/leads/agreement.ts over the same filtered audits as the rest of the dashboard.
 */
import type { ReactNode } from 'react';
import type { AuditFilter } from '../../lib/leads/audit-filter';
import type { Agreement, AuditAgreement } from '../../lib/leads/agreement';
import { richText } from '../../lib/i18n/react';
import { kappaBand, kappaText } from './format';
import { useT } from './i18n';

interface AgreementSectionProps {
  agreement: AuditAgreement;
  filter: AuditFilter;
}

export function AgreementSection({ agreement, filter }: AgreementSectionProps) {
  const { t } = useT();
  const { qa, labeler } = agreement;
  // Tag and severity filters select on what the auditor found, so the pairs they leave are not a fair sample.
  const outcomeFiltered = filter.tagId !== undefined || filter.severity !== undefined;
  return (
    <section className="section agreement" aria-labelledby="agreement-title">
      <h2 id="agreement-title">{t('dashboard.agreement.title')}</h2>
      <p className="detail">{t('dashboard.agreement.intro')}</p>
      {outcomeFiltered ? <p className="message message--info">{t('dashboard.agreement.outcomeFiltered')}</p> : null}
      <div className="agreement__cards">
        <AgreementCard
          id="agreement-qa"
          title={t('dashboard.agreement.qaTitle')}
          about={t('dashboard.agreement.qaAbout')}
          agreement={qa}
          pairsLabel={t('dashboard.agreement.qaPairs')}
          empty={
            <>
              <p className="empty">{t('dashboard.agreement.qaEmpty')}</p>
              {filter.auditorId !== undefined ? <p className="detail">{t('dashboard.agreement.qaOneAuditor')}</p> : null}
            </>
          }
          leftOut={qa.notComparable > 0 ? t('dashboard.agreement.qaLeftOut', { count: qa.notComparable }) : null}
        />
        <AgreementCard
          id="agreement-labeler"
          title={t('dashboard.agreement.labelerTitle')}
          about={t('dashboard.agreement.labelerAbout')}
          agreement={labeler}
          pairsLabel={t('dashboard.agreement.labelerPairs')}
          empty={
            labeler.notComparable === 0 ? (
              <>
                <p className="empty">{t('dashboard.agreement.labelerEmpty')}</p>
                <p className="detail">{t('dashboard.agreement.labelerHowTo')}</p>
              </>
            ) : (
              <p className="empty">{t('dashboard.agreement.labelerNoneComparable', { count: labeler.notComparable })}</p>
            )
          }
          leftOut={labeler.notComparable > 0 ? t('dashboard.agreement.labelerLeftOut', { count: labeler.notComparable }) : null}
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
  const i18n = useT();
  const { t, percent, number } = i18n;
  const { kappa } = agreement;
  return (
    <section className="agreement__card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p className="detail">{about}</p>
      {kappa ? (
        <>
          <p className="agreement__kappa">
            {richText(
              i18n.parts('dashboard.agreement.kappa', {
                kappa: <strong>{kappaText(kappa.kappa, i18n)}</strong>,
                band: kappaBand(kappa.kappa, t),
              }),
            )}
          </p>
          <dl className="agreement__figures">
            <div>
              <dt>{t('dashboard.agreement.observed')}</dt>
              <dd>{percent(kappa.observed)}</dd>
            </div>
            <div>
              <dt>{t('dashboard.agreement.expected')}</dt>
              <dd>{percent(kappa.expected)}</dd>
            </div>
            <div>
              <dt>{pairsLabel}</dt>
              <dd>{number(agreement.pairs)}</dd>
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
