// The SRE guide's escalation policy, verbatim (../shared/fixtures/sre-guide/, read, never copied),
// and the same policy completed as a team would complete it: the contacts it names (the primary a
// weekly rotation in Tokyo) and its SEV3 channel quoted.
import * as fs from 'fs';
import * as path from 'path';
import { SRE_GUIDE, sreGuideFile } from './sre-guide';

export const GUIDE_POLICY_FILE = path.join(SRE_GUIDE, 'escalation-policy.yaml');

/** The guide's file as it is. */
export const guidePolicy = (): string => fs.readFileSync(sreGuideFile('escalation-policy.yaml'), 'utf8');

export const CAROL_PAGER = 'arn:aws:sns:ap-northeast-1:123456789012:carol-pager';
export const SECONDARY_PAGER = 'arn:aws:sns:ap-northeast-1:123456789012:secondary-pager';
export const STATUS_PAGE = 'arn:aws:sns:ap-northeast-1:123456789012:status-page';

/** The contacts the guide leaves to the team. */
export const GUIDE_CONTACTS = `contacts:
  primary_oncall:
    rotation:
      members: ["<@U0ALICE>", "<@U0BOB>", { slack: "<@U0CAROL>", sns: "${CAROL_PAGER}" }]
      every: weekly
      handoff: Mon 10:00
      time_zone: Asia/Tokyo
      start: 2026-01-05
  secondary_oncall:
    slack: "<!subteam^S0SECOND>"
    sns: ${SECONDARY_PAGER}
  team_lead: "<@U0LEAD>"
  eng_manager:
    slack: "<@U0MANAGER>"
  status_page: ${STATUS_PAGE}
`;

/** The guide's policy with the team's contacts added and its channel quoted. */
export const completedGuidePolicy = (): string => GUIDE_CONTACTS + guidePolicy().replace('notify: oncall_channel', 'notify: "#payments-oncall"');
