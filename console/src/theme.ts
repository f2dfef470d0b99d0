// The console's own CJK font, in the weights Mantine uses, split by unicode range so a page loads
// only the glyphs it shows: every user and every screenshot sees the same characters, whatever
// fonts their machine has (none at all, on a bare server's browser).
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import { createTheme } from '@mantine/core';

/** The console's text, in the page and in what it draws on a canvas. */
export const FONT = '"Noto Sans SC", sans-serif';

export const theme = createTheme({ fontFamily: FONT, headings: { fontFamily: FONT } });
