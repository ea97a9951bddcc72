import { type KeyboardEvent, type ToggleEvent, useId, useRef, useState } from 'react';

export interface MenuAction {
  readonly label: string;
  readonly onSelect: () => void;
  /** Drawn apart, in red: the actions that cannot be taken back. */
  readonly danger?: boolean;
  readonly disabled?: boolean;
}

const GAP = 4;

/**
 * A menu button (WAI-ARIA's pattern): a native <button> that opens a menu of actions. The menu is
 * a popover, so it sits in the top layer and no table container can clip it or scroll because of
 * it; the browser opens and closes it (a click elsewhere closes it too). Enter, Space and ↓ open
 * it on the first item, ↑ on the last; inside, the arrows, Home and End move, a letter jumps to an item,
 * Escape closes it and focus goes back to the button.
 */
export function ActionsMenu({
  label = 'Actions',
  describedBy,
  actions,
}: {
  label?: string;
  /** What the actions act on (a row's key name), for screen readers going through a table. */
  describedBy?: string;
  actions: readonly MenuAction[];
}) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  const buttonId = useId();
  const menuId = useId();

  const items = () => [
    ...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role=menuitem]:not(:disabled)') ?? []),
  ];
  const place = () => {
    const button = buttonRef.current;
    const menu = menuRef.current;
    if (!button || !menu) return;
    const at = button.getBoundingClientRect();
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    // Right-aligned under the button; above it when there is no room below; never off screen.
    const left = Math.max(GAP, Math.min(at.right - width, window.innerWidth - width - GAP));
    const below = at.bottom + GAP;
    const top =
      below + height > window.innerHeight && at.top - GAP - height >= 0 ? at.top - GAP - height : below;
    menu.style.left = `${left}px`;
    menu.style.top = `${top}px`;
  };
  /** Which item takes focus when the menu opens: the first, or the last for ↑. */
  const focusOnOpen = useRef<'first' | 'last'>('first');
  const focusItem = (which: 'first' | 'last') => {
    const list = items();
    (which === 'first' ? list[0] : list.at(-1))?.focus();
  };
  const hide = (returnFocus: boolean) => {
    const menu = menuRef.current;
    if (menu?.matches(':popover-open')) menu.hidePopover();
    if (returnFocus) buttonRef.current?.focus();
  };

  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    focusOnOpen.current = event.key === 'ArrowDown' ? 'first' : 'last';
    const menu = menuRef.current;
    if (!menu) return;
    // Shown at once (not on the toggle event), so the next key already goes to the menu.
    if (!menu.matches(':popover-open')) menu.showPopover();
    place();
    focusItem(focusOnOpen.current);
  };
  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = (index: number) => {
      event.preventDefault();
      list[(index + list.length) % list.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(list.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      hide(true);
    } else if (event.key === 'Tab') hide(false);
    else if (event.key.length === 1 && /\S/.test(event.key)) {
      const letter = event.key.toLowerCase();
      const next = [...list.slice(at + 1), ...list.slice(0, at + 1)].find((item) =>
        item.textContent?.trim().toLowerCase().startsWith(letter),
      );
      if (next) {
        event.preventDefault();
        next.focus();
      }
    }
  };
  const onToggle = (event: ToggleEvent<HTMLDivElement>) => {
    const opened = event.newState === 'open';
    setOpen(opened);
    const menu = menuRef.current;
    if (opened) {
      place();
      // Opened by a click (or Enter, Space): focus goes in now. Opened by an arrow: it is in already.
      if (!menu?.contains(document.activeElement)) focusItem(focusOnOpen.current);
      focusOnOpen.current = 'first';
      window.addEventListener('resize', place);
      window.addEventListener('scroll', place, true);
      return;
    }
    window.removeEventListener('resize', place);
    window.removeEventListener('scroll', place, true);
    // Closed by the browser (Escape, a click elsewhere) while focus was inside: back to the button.
    if (menu?.contains(document.activeElement) || document.activeElement === document.body)
      buttonRef.current?.focus();
  };

  return (
    <>
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        className="button button-small menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        aria-describedby={describedBy}
        // The browser toggles the menu, and keeps its own button out of the light dismiss.
        popoverTarget={menuId}
        popoverTargetAction="toggle"
        onKeyDown={onButtonKey}
      >
        {label}
        <span aria-hidden="true" className="menu-caret">
          ▾
        </span>
      </button>
      <div
        ref={menuRef}
        id={menuId}
        role="menu"
        aria-labelledby={buttonId}
        popover="auto"
        className="menu"
        onKeyDown={onMenuKey}
        onToggle={onToggle}
      >
        {actions.map((action, i) => (
          <button
            key={action.label}
            type="button"
            role="menuitem"
            tabIndex={-1}
            disabled={action.disabled}
            className={[
              'menu-item',
              action.danger ? 'menu-item-danger' : '',
              action.danger && !actions[i - 1]?.danger ? 'menu-item-first-danger' : '',
            ]
              .filter(Boolean)
              .join(' ')}
            onClick={() => {
              // Focus is back on the button first, so a dialog the action opens returns it there.
              hide(true);
              action.onSelect();
            }}
          >
            {action.label}
          </button>
        ))}
      </div>
    </>
  );
}
