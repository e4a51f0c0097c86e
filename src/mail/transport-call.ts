import { mailFailure } from './mail-failure.js';

/** Runs one transport operation; any failure becomes a sanitised MAIL_FAILED. */
export async function transportCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw mailFailure(error);
  }
}
