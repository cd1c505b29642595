// Types of bin/campaign-flags.mjs (plain JavaScript: bin/run-built.mjs reads it before anything is built).
/** The V8 flags a multi-worker campaign runs under. */
export declare const CAMPAIGN_V8_FLAGS: readonly string[];
/** Whether this process (or these node options) runs under every campaign flag. */
export declare function hasCampaignFlags(execArgv?: readonly string[]): boolean;
