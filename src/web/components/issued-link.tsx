import { useEffect, useRef, useState } from 'preact/hooks';
import type { IssuedSignOffLink } from '../api/control-types.js';
import { formatTime } from '../model/format.js';

/**
 * A sign-off link just issued: the URL, shown this once (the server keeps only its hash), with
 * a copy button and its expiry. Copying falls back to selecting the text for the reader.
 */
export function IssuedLink({ link }: { link: IssuedSignOffLink }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  // The form it replaces (and its focused button) is gone: focus moves to the URL.
  useEffect(() => {
    input.current?.focus();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied('yes');
    } catch {
      // No clipboard (permission refused, or not a secure context): select it for Ctrl+C.
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <div class="issued-link">
      <label for="issued-link-url">Sign-off link (shown only now: send it to the client)</label>
      <div class="copy-row">
        <input
          id="issued-link-url"
          ref={input}
          type="text"
          readOnly
          value={link.url}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p class="hint" aria-live="polite">
        {copied === 'yes' ? 'Copied. ' : copied === 'no' ? 'Selected: press Ctrl+C to copy. ' : ''}
        It works once{link.approverName === null ? '' : `, for ${link.approverName}`}, until{' '}
        <time dateTime={link.expiresAt}>{formatTime(link.expiresAt)}</time>.
      </p>
    </div>
  );
}
