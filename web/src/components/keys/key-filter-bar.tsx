import { type ReactNode, useId } from 'react';
import type { KeyStatusFilter } from '../../api/keys.ts';
import { useDebouncedParam } from '../../lib/debounced-param.ts';

interface ListFilters {
  search?: string;
  status?: KeyStatusFilter;
}

/**
 * A key list's filters: Search (written once typing pauses), the caller's own filters, Status and
 * Clear. The filters live in the URL: the page merges each change into it and writes it.
 */
export function KeyFilterBar({
  value,
  onChange,
  onClear,
  filtered,
  placeholder,
  dirty = false,
  children,
}: {
  value: ListFilters;
  onChange: (patch: ListFilters) => void;
  /** Clears every filter (the page's own typed text too). */
  onClear: () => void;
  /** Whether any filter of the page is applied, its own included. */
  filtered: boolean;
  placeholder: string;
  /** Text typed into the page's own filters and not yet in the URL: keeps Clear enabled. */
  dirty?: boolean;
  /** The page's own filters, between Search and Status. */
  children?: ReactNode;
}) {
  const [searchText, setSearchText] = useDebouncedParam(value.search, (search) => onChange({ search }));
  const ids = { search: useId(), status: useId() };
  return (
    <search className="filters" aria-label="Filter keys">
      <div className="field field-grow">
        <label htmlFor={ids.search}>Search</label>
        <input
          id={ids.search}
          type="search"
          placeholder={placeholder}
          value={searchText}
          onChange={(event) => setSearchText(event.currentTarget.value)}
        />
      </div>
      {children}
      <div className="field">
        <label htmlFor={ids.status}>Status</label>
        <select
          id={ids.status}
          value={value.status ?? ''}
          onChange={(event) =>
            onChange({ status: (event.currentTarget.value || undefined) as KeyStatusFilter | undefined })
          }
        >
          <option value="">All but revoked</option>
          <option value="active">Active</option>
          <option value="inactive">Inactive</option>
          <option value="expired">Expired</option>
          <option value="revoked">Revoked</option>
        </select>
      </div>
      <button
        type="button"
        className="button"
        disabled={!filtered && !searchText && !dirty}
        onClick={() => {
          setSearchText('');
          onClear();
        }}
      >
        Clear
      </button>
    </search>
  );
}
