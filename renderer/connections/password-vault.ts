/**
 * Passwords are saved across restarts but never in plain text: each is encrypted with
 * AES-GCM under a key that WebCrypto generated as non-extractable and that lives only in
 * IndexedDB (a CryptoKey is stored as an opaque object; no script can read its bytes).
 * localStorage holds the ciphertext.
 */
const dbName = 'tessera-vault';
const storeName = 'keys';
const keyId = 'passwords';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB unavailable'));
  });
}

async function vaultKey(): Promise<CryptoKey> {
  const db = await openDb();
  const existing = await new Promise<CryptoKey | undefined>((resolve, reject) => {
    const request = db.transaction(storeName).objectStore(storeName).get(keyId);
    request.onsuccess = () => resolve(request.result as CryptoKey | undefined);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB read failed'));
  });
  if (existing) return existing;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  await new Promise<void>((resolve, reject) => {
    const request = db.transaction(storeName, 'readwrite').objectStore(storeName).put(key, keyId);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('IndexedDB write failed'));
  });
  return key;
}

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** `iv.ciphertext`, both base64. */
export async function sealPassword(password: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await vaultKey(),
    new TextEncoder().encode(password),
  );
  return `${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

export async function openPassword(sealed: string): Promise<string | undefined> {
  const [iv, data] = sealed.split('.');
  if (!iv || !data) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(iv) },
      await vaultKey(),
      fromBase64(data),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}
