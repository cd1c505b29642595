// The part of a request context (spec §9.2 step 2, §9.6) every service of the world builds the same
// way: who calls (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalTag/*) and when, on the virtual
// clock (aws:CurrentTime to the second, aws:EpochTime).
import { RequestContext } from "./conditions.ts";
import { IamDirectory } from "./iam.ts";

const DAY_MS = 86_400_000;
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The last second isoTime wrote, and its text: consecutive calls of a run mostly fall in one second. */
let lastSecond = -1;
let lastText = "";

/** Milliseconds since 1970 (not before it) as `YYYY-MM-DDThh:mm:ssZ`. */
export function isoTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== lastSecond) {
    lastText = isoTimeOfSecond(epochMs);
    lastSecond = second;
  }
  return lastText;
}

function isoTimeOfSecond(epochMs: number): string {
  let days = Math.floor(epochMs / DAY_MS);
  let year = 1970;
  while (days >= (isLeap(year) ? 366 : 365)) days -= isLeap(year++) ? 366 : 365;
  const monthDays = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let month = 0;
  while (days >= monthDays[month]!) days -= monthDays[month++]!;
  const seconds = Math.floor((epochMs % DAY_MS) / 1000);
  const pad = (n: number) => n.toString().padStart(2, "0");
  return `${year}-${pad(month + 1)}-${pad(days + 1)}T${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}Z`;
}

/** The caller's and the clock's condition keys, at `epochMs`. */
export function callerContext(iam: IamDirectory, caller: string, epochMs: number): RequestContext {
  const context = new RequestContext()
    .add("aws:PrincipalArn", [caller])
    .add("aws:PrincipalAccount", [IamDirectory.accountOf(caller)])
    .add("aws:CurrentTime", [isoTime(epochMs)])
    .add("aws:EpochTime", [Math.floor(epochMs / 1000).toString()]);
  for (const [key, value] of iam.tags(caller)) context.add(`aws:PrincipalTag/${key}`, [value]);
  return context;
}
