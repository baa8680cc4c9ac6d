// The cloud-tasks adapter's public face: the queue, its options, and the request/answer mapping the HTTP route uses.
export { CloudTasksQueue, DeliveryAbandonedError, type CloudTasksQueueStats, type RespondTo, type TaskHttpRequest } from './cloud-tasks-queue.js';
export { CLOUD_TASKS_QUEUE_DEFAULTS, type CloudTasksApi, type CloudTasksQueueOptions } from './options.js';
export { answerFor, type ContinuationQueue, type TaskAnswer } from './answer.js';
export { deliveredTaskFromRequest, type TaskRequestHeaders } from './delivered-task.js';
export { TaskRequestError } from './task-body.js';
