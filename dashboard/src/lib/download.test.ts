import { describe, expect, it } from 'vitest';
import { attachmentName } from './download';

describe('download names', () => {
  it('come from the answer\'s Content-Disposition', () => {
    const h = new Headers({ 'Content-Disposition': 'attachment; filename="export-2026-12-01T100000Z-1a2b3c4d.mp4"' });
    expect(attachmentName(h, 'x.mp4')).toBe('export-2026-12-01T100000Z-1a2b3c4d.mp4');
  });

  it('fall back when the answer names none', () => {
    expect(attachmentName(new Headers(), 'exp_1.mp4')).toBe('exp_1.mp4');
    expect(attachmentName(new Headers({ 'Content-Disposition': 'attachment' }), 'exp_1.mp4')).toBe('exp_1.mp4');
  });
});
