/**
 * The layout of a SharedMemoryRateLimitStore's memory: a header of Int32 words, two Float64s (the
 * base time and the last ticket), the line of waiting stores, then the ring of grant times. Every
 * copy of the store, in every thread, reads the memory through these offsets.
 */

// Header words (Int32Array over the first HEADER_WORDS words).
/** The lock word (see lock.ts). */
export const LOCK = 0;
/** MAGIC_VALUE once the memory is initialised. */
export const MAGIC = 1;
/** How many grant times the ring holds. */
export const CAPACITY = 2;
/** The ring's oldest entry. */
export const HEAD = 3;
/** How many entries the ring holds. */
export const SIZE = 4;
/** Counts lock acquisitions, so that a lock held by a dead thread can be told from a busy one. */
export const GENERATION = 5;
/** How many entries the queue of waiting stores holds; 0 keeps decisions on the fast path. */
export const WAITERS = 6;
/** The last store-object id handed out (each object made on the memory takes the next one). */
export const LAST_ID = 7;
export const HEADER_WORDS = 8;
/** After the words: Float64s, the creating thread's `performance.timeOrigin`, then the last ticket. */
export const BASE_OFFSET = HEADER_WORDS * 4;
export const BASE = 0;
export const TICKET = 1;
export const QUEUE_OFFSET = BASE_OFFSET + 16;
/**
 * The line of competing stores: QUEUE_SLOTS entries of ENTRY Float64s each, one per store object
 * (so per thread, as each thread attaches its own) that was refused while the window was full
 * and has asked within `interval` + FORGET_MS since.
 */
export const QUEUE_SLOTS = 64;
export const ENTRY = 5;
/** Entry fields: the owner's id (0: a free entry), ... */
export const OWNER = 0;
/** ... its ticket (its place among equals: from a counter, renewed at each grant), ... */
export const PLACE = 1;
/** ... the time of its last decision, ... */
export const LAST = 2;
/**
 * ... the time it was told to ask again (its last grant's, after a grant): it counts as waiting
 * until then plus RETRY_GRACE_MS, ...
 */
export const RETRY = 3;
/** ... and how many grants it has had while others waited (its virtual time, for equal shares). */
export const SERVED = 4;
export const QUEUE_END = QUEUE_SLOTS * ENTRY;
/** Where the ring of grant times (Float64s) starts. */
export const HEADER_BYTES = QUEUE_OFFSET + QUEUE_END * 8;
export const MAGIC_VALUE = 0x63735232; // 'csR2': the layout with the queue
export const MAX_CAPACITY = 1 << 24;
export const DEFAULT_CAPACITY = 4096;
