/** App-wide preferences: theme and the time zone timestamps are shown in. Kept across reloads. */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type Theme = 'light' | 'dark';

interface SettingsState {
  theme: Theme;
  /** An IANA zone name, or 'UTC'. */
  timeZone: string;
  setTheme(theme: Theme): void;
  setTimeZone(zone: string): void;
}

const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      theme: prefersDark ? 'dark' : 'light',
      timeZone: 'UTC',
      setTheme: (theme) => set({ theme }),
      setTimeZone: (timeZone) => set({ timeZone }),
    }),
    { name: 'tessera.settings', partialize: (s) => ({ theme: s.theme, timeZone: s.timeZone }) },
  ),
);
