// The Firestore adapter's public face: the store and its options.
export { FirestoreStore } from './firestore-store.js';
export { FIRESTORE_STORE_DEFAULTS, type CommitTouch, type FirestoreStoreOptions } from './options.js';
export { FirestoreSheetsQuota, type FirestoreSheetsQuotaOptions } from './sheets-quota.js';
export { FirestoreBatchStore } from './batch-store.js';
