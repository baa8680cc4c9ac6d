// The local-queue adapter's public face: the queue, its options and its stats.
export { LocalQueue, type LocalQueueStats } from './local-queue.js';
export { LOCAL_QUEUE_DEFAULTS, type LocalQueueOptions, type QueueLogger } from './options.js';
