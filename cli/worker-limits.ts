// The resource limits of the worker threads that run seeds. Their one limit is on the old-generation
// heap, and it is there for the heap's growth more than for its ceiling: see below.

/**
 * Each worker thread's old-generation heap limit, in MiB. V8 lets the old generation grow past its live
 * data by a factor it scales with this limit: about ×4 under the default limit of a machine with a few
 * GB, so a campaign's peak memory kept climbing for its first thousand seeds while its live data stayed
 * near 15 MB; about ×1.4 under 512 MiB, where it levels off within the first hundred. A seed's live heap
 * is 15–20 MB; a thread that needs more than this ends with ERR_WORKER_OUT_OF_MEMORY, a harness error.
 */
export const WORKER_OLD_GENERATION_LIMIT_MB = 512;

/** The resource limits of every worker thread that runs seeds (campaigns, mutant hunts, the bench). */
export const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_LIMIT_MB } as const;
