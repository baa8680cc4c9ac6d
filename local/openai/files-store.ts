// The Batch API stand-in's files in memory: uploads and the output and error files its batches write.

export interface StoredFile {
  readonly id: string;
  readonly filename: string;
  readonly purpose: string;
  /** Unix seconds, like OpenAI's. */
  readonly createdAt: number;
  readonly content: Buffer;
}

/** Files by id, in upload order. Output files of batches are added here too, with purpose `batch_output`. */
export class FileStore {
  private readonly files = new Map<string, StoredFile>();
  private seq = 0;

  add(filename: string, purpose: string, content: Buffer): StoredFile {
    const file = { id: `file-standin${(++this.seq).toString(16).padStart(8, '0')}`, filename, purpose, createdAt: Math.floor(Date.now() / 1000), content };
    this.files.set(file.id, file);
    return file;
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  delete(id: string): boolean {
    return this.files.delete(id);
  }

  /** Newest first, as OpenAI lists them. */
  newestFirst(): StoredFile[] {
    return [...this.files.values()].reverse();
  }
}
