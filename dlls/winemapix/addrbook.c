/*
 * The integrated address book (IAddrBook) and its root container
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

/*
 * There are no address book providers yet, so the address book is the part
 * MAPI itself implements: an empty root container, one-off entry IDs and
 * the name resolution MAPI does without a provider (one-off addresses and
 * SMTP addresses).  Every entry ID that is neither a one-off nor the root
 * belongs to no provider and is answered with MAPI_E_UNKNOWN_ENTRYID.
 *
 * An address book belongs to a session, or to the support object that
 * opened it; when its owner ends, it and its root containers answer
 * MAPI_E_INVALID_OBJECT from every method but AddRef and Release.
 */

#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

struct addrbook
{
    IAddrBook IAddrBook_iface;
    LONG refcount;
    struct addrbook *next;
    const void *owner;
    struct liveness *liveness;  /* killed when the owner ends; its tables hold it too */
    BOOL search_path_set;
    IPropData *props;
};

struct ab_container
{
    IABContainer IABContainer_iface;
    LONG refcount;
    struct addrbook *book;
    IPropData *props;
    ITableData *hierarchy;
};

static struct addrbook *addrbooks;
static CRITICAL_SECTION addrbook_cs;
static CRITICAL_SECTION_DEBUG addrbook_cs_debug =
{
    0, 0, &addrbook_cs,
    { &addrbook_cs_debug.ProcessLocksList, &addrbook_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": addrbook_cs") }
};
static CRITICAL_SECTION addrbook_cs = { &addrbook_cs_debug, -1, 0, 0, 0, 0 };

void addrbook_owner_ended( const void *owner )
{
    struct addrbook *book;

    EnterCriticalSection( &addrbook_cs );
    for (book = addrbooks; book; book = book->next)
        if (book->owner == owner) liveness_kill( book->liveness );
    LeaveCriticalSection( &addrbook_cs );
}

static WCHAR *strdup_aw( const char *str )
{
    WCHAR *ret;
    int len;

    if (!str) return NULL;
    len = MultiByteToWideChar( CP_ACP, 0, str, -1, NULL, 0 );
    if ((ret = malloc( len * sizeof(WCHAR) ))) MultiByteToWideChar( CP_ACP, 0, str, -1, ret, len );
    return ret;
}

static void free_strings( WCHAR *strings[3] )
{
    unsigned int i;

    for (i = 0; i < 3; i++) free( strings[i] );
}

/* Splits a one-off address, "name[type:address]" (one-off-addresses.md), or
 * takes a bare SMTP address; the parts are written into a copy of str. */
static BOOL parse_address( const WCHAR *str, WCHAR **copy, WCHAR **name, WCHAR **type, WCHAR **address )
{
    WCHAR *open, *colon, *close;
    size_t len;

    if (!str || !(len = wcslen( str ))) return FALSE;
    if (!(*copy = wcsdup( str ))) return FALSE;
    close = *copy + len - 1;
    if (*close == ']' && (open = wcsrchr( *copy, '[' )) && (colon = wcschr( open, ':' )) && colon > open + 1
            && colon < close - 1)
    {
        *open = *colon = *close = 0;
        *name = open > *copy ? *copy : colon + 1;
        *type = open + 1;
        *address = colon + 1;
        /* the display part may end in blanks before the bracket */
        while (open > *copy && open[-1] == ' ') *--open = 0;
        return TRUE;
    }
    if (!wcschr( *copy, ' ' ) && (open = wcschr( *copy, '@' )) && open > *copy && open[1])
    {
        *name = *address = *copy;
        *type = (WCHAR *)L"SMTP";
        return TRUE;
    }
    free( *copy );
    *copy = NULL;
    return FALSE;
}

/* Sets a string property of a block being built, wide or ANSI. */
static HRESULT set_string( SPropValue *prop, ULONG tag_w, const WCHAR *str, BOOL unicode, void *block )
{
    ULONG len;
    SCODE sc;

    if (unicode)
    {
        len = (lstrlenW( str ) + 1) * sizeof(WCHAR);
        if ((sc = MAPIAllocateMore( len, block, (void **)&prop->Value.lpszW ))) return sc;
        memcpy( prop->Value.lpszW, str, len );
        prop->ulPropTag = tag_w;
        return S_OK;
    }
    len = WideCharToMultiByte( CP_ACP, 0, str, -1, NULL, 0, NULL, NULL );
    if ((sc = MAPIAllocateMore( len, block, (void **)&prop->Value.lpszA ))) return sc;
    WideCharToMultiByte( CP_ACP, 0, str, -1, prop->Value.lpszA, len, NULL, NULL );
    prop->ulPropTag = CHANGE_PROP_TYPE( tag_w, PT_STRING8 );
    return S_OK;
}

/* The search key of a one-off: "TYPE:ADDRESS" in capitals, ANSI. */
static HRESULT set_search_key( SPropValue *prop, const WCHAR *type, const WCHAR *address, void *block )
{
    int type_len = WideCharToMultiByte( CP_ACP, 0, type, -1, NULL, 0, NULL, NULL );
    int address_len = WideCharToMultiByte( CP_ACP, 0, address, -1, NULL, 0, NULL, NULL );
    char *key;
    SCODE sc;

    if ((sc = MAPIAllocateMore( type_len + address_len, block, (void **)&key ))) return sc;
    WideCharToMultiByte( CP_ACP, 0, type, -1, key, type_len, NULL, NULL );
    key[type_len - 1] = ':';
    WideCharToMultiByte( CP_ACP, 0, address, -1, key + type_len, address_len, NULL, NULL );
    CharUpperA( key );
    prop->ulPropTag = PR_SEARCH_KEY;
    prop->Value.bin.cb = type_len + address_len;
    prop->Value.bin.lpb = (BYTE *)key;
    return S_OK;
}

#define ONE_OFF_PROP_COUNT 8

/* The properties MAPI gives a one-off recipient, written to props[0..ONE_OFF_PROP_COUNT). */
static HRESULT one_off_props( SPropValue *props, const WCHAR *name, const WCHAR *type, const WCHAR *address,
                              BOOL unicode, BOOL rich_info, void *block )
{
    ENTRYID *entry;
    ULONG size;
    HRESULT hr;

    if (FAILED(hr = one_off_create( name, type, address, unicode, !rich_info, &size, &entry ))) return hr;
    hr = MAPIAllocateMore( size, block, (void **)&props[3].Value.bin.lpb );
    if (SUCCEEDED(hr))
    {
        memcpy( props[3].Value.bin.lpb, entry, size );
        props[3].ulPropTag = PR_ENTRYID;
        props[3].Value.bin.cb = size;
    }
    MAPIFreeBuffer( entry );
    if (SUCCEEDED(hr)) hr = set_string( &props[0], PR_DISPLAY_NAME_W, name, unicode, block );
    if (SUCCEEDED(hr)) hr = set_string( &props[1], PR_ADDRTYPE_W, type, unicode, block );
    if (SUCCEEDED(hr)) hr = set_string( &props[2], PR_EMAIL_ADDRESS_W, address, unicode, block );
    if (SUCCEEDED(hr)) hr = set_search_key( &props[4], type, address, block );
    if (FAILED(hr)) return hr;
    props[5].ulPropTag = PR_OBJECT_TYPE;
    props[5].Value.l = MAPI_MAILUSER;
    props[6].ulPropTag = PR_DISPLAY_TYPE;
    props[6].Value.l = DT_MAILUSER;
    props[7].ulPropTag = PR_SEND_RICH_INFO;
    props[7].Value.b = rich_info;
    return S_OK;
}

/* Replaces an ADRENTRY's properties with first[] followed by those of the
 * old set whose IDs first[] lacks; the old block is freed. */
static HRESULT replace_entry_props( ADRENTRY *entry, const SPropValue *first, ULONG first_count, void *first_block )
{
    SPropValue *props, *all;
    ULONG count = first_count, i, j;
    HRESULT hr;

    if (!(all = calloc( first_count + entry->cValues, sizeof(*all) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy( all, first, first_count * sizeof(*all) );
    for (i = 0; i < entry->cValues; i++)
    {
        for (j = 0; j < first_count; j++)
            if (PROP_ID(first[j].ulPropTag) == PROP_ID(entry->rgPropVals[i].ulPropTag)) break;
        if (j == first_count) all[count++] = entry->rgPropVals[i];
    }
    /* a single block the caller can free by itself (adrentry.md) */
    hr = ScDupPropset( count, all, MAPIAllocateBuffer, &props );
    free( all );
    if (FAILED(hr)) return hr;
    MAPIFreeBuffer( entry->rgPropVals );
    entry->rgPropVals = props;
    entry->cValues = count;
    (void)first_block;
    return S_OK;
}

static const WCHAR *entry_display_name( const ADRENTRY *entry, WCHAR **converted )
{
    SPropValue *prop;

    *converted = NULL;
    if ((prop = PpropFindProp( entry->rgPropVals, entry->cValues, PR_DISPLAY_NAME_W ))) return prop->Value.lpszW;
    if ((prop = PpropFindProp( entry->rgPropVals, entry->cValues, PR_DISPLAY_NAME_A )))
        return *converted = strdup_aw( prop->Value.lpszA );
    return NULL;
}

static inline struct addrbook *impl_from_IAddrBook( IAddrBook *iface )
{
    return CONTAINING_RECORD( iface, struct addrbook, IAddrBook_iface );
}

static inline struct ab_container *impl_from_IABContainer( IABContainer *iface )
{
    return CONTAINING_RECORD( iface, struct ab_container, IABContainer_iface );
}

static HRESULT container_create( struct addrbook *book, IABContainer **out );

static HRESULT WINAPI addrbook_QueryInterface( IAddrBook *iface, REFIID riid, void **out )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (IsEqualIID( riid, &IID_IUnknown ) || IsEqualIID( riid, &IID_IMAPIProp ) || IsEqualIID( riid, &IID_IAddrBook ))
    {
        *out = iface;
        IAddrBook_AddRef( iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static ULONG WINAPI addrbook_AddRef( IAddrBook *iface )
{
    struct addrbook *book = impl_from_IAddrBook( iface );
    ULONG refcount = InterlockedIncrement( &book->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI addrbook_Release( IAddrBook *iface )
{
    struct addrbook *book = impl_from_IAddrBook( iface );
    ULONG refcount = InterlockedDecrement( &book->refcount );
    struct addrbook **entry;

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        EnterCriticalSection( &addrbook_cs );
        for (entry = &addrbooks; *entry; entry = &(*entry)->next)
        {
            if (*entry != book) continue;
            *entry = book->next;
            break;
        }
        LeaveCriticalSection( &addrbook_cs );
        IPropData_Release( book->props );
        liveness_release( book->liveness );
        free( book );
    }
    return refcount;
}

/* The address book's own properties are read-only (iaddrbookimapiprop.md:
 * "Not writable"); the IPropData behind them enforces that. */
static HRESULT WINAPI addrbook_GetLastError( IAddrBook *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetLastError( book->props, result, flags, error );
}

static HRESULT WINAPI addrbook_SaveChanges( IAddrBook *iface, ULONG flags )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %#lx.\n", iface, flags );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    /* changes to the address book are made permanent at once */
    return S_OK;
}

static HRESULT WINAPI addrbook_GetProps( IAddrBook *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                         SPropValue **props )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, props );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetProps( book->props, tags, flags, count, props );
}

static HRESULT WINAPI addrbook_GetPropList( IAddrBook *iface, ULONG flags, SPropTagArray **tags )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, tags );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetPropList( book->props, flags, tags );
}

static HRESULT WINAPI addrbook_OpenProperty( IAddrBook *iface, ULONG tag, const IID *iid, ULONG options,
                                             ULONG flags, IUnknown **unk )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, unk );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_OpenProperty( book->props, tag, iid, options, flags, unk );
}

static HRESULT WINAPI addrbook_SetProps( IAddrBook *iface, ULONG count, SPropValue *props,
                                         SPropProblemArray **problems )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_SetProps( book->props, count, props, problems );
}

static HRESULT WINAPI addrbook_DeleteProps( IAddrBook *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_DeleteProps( book->props, tags, problems );
}

static HRESULT WINAPI addrbook_CopyTo( IAddrBook *iface, ULONG exclude_count, const IID *exclude_iids,
                                       SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                       const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude_props,
           ui_param, progress, debugstr_guid(iid), dest, flags, problems );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_CopyTo( book->props, exclude_count, exclude_iids, exclude_props, ui_param, progress, iid,
                             dest, flags, problems );
}

static HRESULT WINAPI addrbook_CopyProps( IAddrBook *iface, SPropTagArray *include_props, ULONG ui_param,
                                          IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                          SPropProblemArray **problems )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include_props, ui_param, progress,
           debugstr_guid(iid), dest, flags, problems );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_CopyProps( book->props, include_props, ui_param, progress, iid, dest, flags, problems );
}

static HRESULT WINAPI addrbook_GetNamesFromIDs( IAddrBook *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                                ULONG *count, MAPINAMEID ***names )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetNamesFromIDs( book->props, tags, guid, flags, count, names );
}

static HRESULT WINAPI addrbook_GetIDsFromNames( IAddrBook *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                                SPropTagArray **tags )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, count, names, flags, tags );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetIDsFromNames( book->props, count, names, flags, tags );
}

static HRESULT WINAPI addrbook_OpenEntry( IAddrBook *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                          ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    struct addrbook *book = impl_from_IAddrBook( iface );
    IABContainer *root;
    HRESULT hr;

    TRACE( "%p, %lu, %p, %s, %#lx, %p, %p.\n", iface, entry_size, entry, debugstr_guid(iid), flags, obj_type, unk );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!obj_type || !unk) return MAPI_E_INVALID_PARAMETER;
    *unk = NULL;
    if (entry)
    {
        /* R2.8 for address books: no provider has registered a MAPIUID */
        if (is_one_off( entry_size, entry )) FIXME( "opening one-off entries is not supported.\n" );
        return MAPI_E_UNKNOWN_ENTRYID;
    }
    /* NULL opens the root container of the hierarchy */
    if (iid && !IsEqualIID( iid, &IID_IABContainer ) && !IsEqualIID( iid, &IID_IMAPIContainer )
            && !IsEqualIID( iid, &IID_IMAPIProp ) && !IsEqualIID( iid, &IID_IUnknown ))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (FAILED(hr = container_create( book, &root ))) return hr;
    *obj_type = MAPI_ABCONT;
    *unk = (IUnknown *)root;
    return S_OK;
}

static HRESULT WINAPI addrbook_CompareEntryIDs( IAddrBook *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                                ENTRYID *entry2, ULONG flags, ULONG *result )
{
    struct addrbook *book = impl_from_IAddrBook( iface );
    WCHAR *strings1[3], *strings2[3];
    WORD flags1, flags2;
    HRESULT hr;

    TRACE( "%p, %lu, %p, %lu, %p, %#lx, %p.\n", iface, size1, entry1, size2, entry2, flags, result );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!entry1 || !entry2 || !result) return MAPI_E_INVALID_PARAMETER;
    /* one-offs are MAPI's own; anything else would be a provider's */
    if (FAILED(hr = one_off_parse( size1, entry1, strings1, &flags1 ))) return MAPI_E_UNKNOWN_ENTRYID;
    if (FAILED(hr = one_off_parse( size2, entry2, strings2, &flags2 )))
    {
        free_strings( strings1 );
        return MAPI_E_UNKNOWN_ENTRYID;
    }
    /* the same recipient is the same address of the same type, whatever the
     * display name or string width (the search key ignores case too) */
    *result = !wcsicmp( strings1[1], strings2[1] ) && !wcsicmp( strings1[2], strings2[2] );
    free_strings( strings1 );
    free_strings( strings2 );
    return S_OK;
}

static HRESULT WINAPI addrbook_Advise( IAddrBook *iface, ULONG entry_size, ENTRYID *entry, ULONG event_mask,
                                       IMAPIAdviseSink *sink, ULONG_PTR *connection )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %lu, %p, %#lx, %p, %p.\n", iface, entry_size, entry, event_mask, sink, connection );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!entry || !sink || !connection || !event_mask) return MAPI_E_INVALID_PARAMETER;
    /* MAPI forwards registrations to the provider owning the entry; a
     * one-off has no provider that could report changes */
    if (is_one_off( entry_size, entry )) return MAPI_E_NO_SUPPORT;
    return MAPI_E_UNKNOWN_ENTRYID;
}

static HRESULT WINAPI addrbook_Unadvise( IAddrBook *iface, ULONG_PTR connection )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %Iu.\n", iface, connection );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!connection) return MAPI_E_INVALID_PARAMETER;
    /* Advise never succeeds without providers */
    return MAPI_E_NOT_FOUND;
}

HRESULT addrbook_create_one_off( const WCHAR *name, const WCHAR *type, const WCHAR *address, ULONG flags,
                                 ULONG *entry_size, ENTRYID **entry )
{
    WCHAR *strings[3] = { NULL };
    HRESULT hr;

    if (!type || !address || !entry_size || !entry) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_SEND_NO_RICH_INFO)) return MAPI_E_UNKNOWN_FLAGS;
    if (flags & MAPI_UNICODE)
        return one_off_create( name, type, address, TRUE, !!(flags & MAPI_SEND_NO_RICH_INFO), entry_size, entry );

    if ((name && !(strings[0] = strdup_aw( (const char *)name ))) || !(strings[1] = strdup_aw( (const char *)type ))
            || !(strings[2] = strdup_aw( (const char *)address )))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else
        hr = one_off_create( strings[0], strings[1], strings[2], FALSE, !!(flags & MAPI_SEND_NO_RICH_INFO),
                             entry_size, entry );
    free_strings( strings );
    return hr;
}

static HRESULT WINAPI addrbook_CreateOneOff( IAddrBook *iface, WCHAR *name, WCHAR *type, WCHAR *address,
                                             ULONG flags, ULONG *entry_size, ENTRYID **entry )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %p, %p, %#lx, %p, %p.\n", iface, name, type, address, flags, entry_size, entry );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    return addrbook_create_one_off( name, type, address, flags, entry_size, entry );
}

static HRESULT WINAPI addrbook_NewEntry( IAddrBook *iface, ULONG_PTR ui_param, ULONG flags, ULONG container_size,
                                         ENTRYID *container, ULONG template_size, ENTRYID *template_id,
                                         ULONG *new_size, ENTRYID **new_entry )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %#Ix, %#lx, %lu, %p, %lu, %p, %p, %p.\n", iface, ui_param, flags, container_size, container,
           template_size, template_id, new_size, new_entry );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!new_size || !new_entry) return MAPI_E_INVALID_PARAMETER;
    /* a template comes from a provider's one-off table */
    if (container || template_id) return MAPI_E_UNKNOWN_ENTRYID;
    FIXME( "no new entry dialog.\n" );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI addrbook_ResolveName( IAddrBook *iface, ULONG_PTR ui_param, ULONG flags, WCHAR *title,
                                            ADRLIST *list )
{
    struct addrbook *book = impl_from_IAddrBook( iface );
    WCHAR *converted, *copy, *name, *type, *address;
    SPropValue props[ONE_OFF_PROP_COUNT];
    const WCHAR *display;
    BOOL unresolved = FALSE, parsed;
    void *block;
    HRESULT hr;
    ULONG i;

    TRACE( "%p, %#Ix, %#lx, %p, %p.\n", iface, ui_param, flags, title, list );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!list) return MAPI_E_INVALID_PARAMETER;

    for (i = 0; i < list->cEntries; i++)
    {
        ADRENTRY *entry = &list->aEntries[i];

        if (!entry->rgPropVals || PpropFindProp( entry->rgPropVals, entry->cValues, PR_ENTRYID )) continue;
        display = entry_display_name( entry, &converted );
        parsed = parse_address( display, &copy, &name, &type, &address );
        free( converted );
        /* step 1: one-off and SMTP addresses; steps 2-5 need containers */
        if (!parsed)
        {
            unresolved = TRUE;
            continue;
        }
        if ((hr = MAPIAllocateBuffer( 1, &block )))
        {
            free( copy );
            return hr;
        }
        memset( props, 0, sizeof(props) );
        hr = one_off_props( props, name, type, address, !!(flags & MAPI_UNICODE),
                            wcsicmp( type, L"SMTP" ) != 0, block );
        if (SUCCEEDED(hr)) hr = replace_entry_props( entry, props, ONE_OFF_PROP_COUNT, block );
        MAPIFreeBuffer( block );
        free( copy );
        if (FAILED(hr)) return hr;
    }
    /* no dialog exists to ask the user, even with MAPI_DIALOG */
    if (unresolved && (flags & MAPI_DIALOG)) FIXME( "no name resolution dialog.\n" );
    return unresolved ? MAPI_E_NOT_FOUND : S_OK;
}

static HRESULT WINAPI addrbook_Address( IAddrBook *iface, ULONG_PTR *ui_param, LPADRPARM params, ADRLIST **list )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %p, %p.\n", iface, ui_param, params, list );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!ui_param || !params) return MAPI_E_INVALID_PARAMETER;
    FIXME( "no address book dialog.\n" );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI addrbook_Details( IAddrBook *iface, ULONG_PTR *ui_param, LPFNDISMISS dismiss,
                                        void *dismiss_context, ULONG entry_size, ENTRYID *entry,
                                        LPFNBUTTON button_callback, void *button_context, WCHAR *button_text,
                                        ULONG flags )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %p, %p, %lu, %p, %p, %p, %p, %#lx.\n", iface, ui_param, dismiss, dismiss_context, entry_size,
           entry, button_callback, button_context, button_text, flags );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!ui_param || !entry) return MAPI_E_INVALID_PARAMETER;
    if (!is_one_off( entry_size, entry )) return MAPI_E_UNKNOWN_ENTRYID;
    FIXME( "no details dialog.\n" );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI addrbook_RecipOptions( IAddrBook *iface, ULONG_PTR ui_param, ULONG flags,
                                             ADRENTRY *recipient )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %#Ix, %#lx, %p.\n", iface, ui_param, flags, recipient );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!recipient) return MAPI_E_INVALID_PARAMETER;
    /* options come from the transports, and there are none */
    return MAPI_E_NOT_FOUND;
}

static HRESULT WINAPI addrbook_QueryDefaultRecipOpt( IAddrBook *iface, WCHAR *address_type, ULONG flags,
                                                     ULONG *count, SPropValue **options )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, address_type, flags, count, options );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!address_type || !count || !options) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    /* as IMAPISession::QueryDefaultMessageOpt: no transport registers options */
    *count = 0;
    *options = NULL;
    return S_OK;
}

static HRESULT WINAPI addrbook_GetPAB( IAddrBook *iface, ULONG *entry_size, ENTRYID **entry )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %p.\n", iface, entry_size, entry );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!entry_size || !entry) return MAPI_E_INVALID_PARAMETER;
    /* iaddrbook-getpab.md: zero when no container is the PAB, and with no
     * modifiable container none can be picked */
    *entry_size = 0;
    *entry = NULL;
    return S_OK;
}

static HRESULT WINAPI addrbook_SetPAB( IAddrBook *iface, ULONG entry_size, ENTRYID *entry )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %lu, %p.\n", iface, entry_size, entry );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!entry) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_UNKNOWN_ENTRYID;
}

static HRESULT WINAPI addrbook_GetDefaultDir( IAddrBook *iface, ULONG *entry_size, ENTRYID **entry )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %p, %p.\n", iface, entry_size, entry );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!entry_size || !entry) return MAPI_E_INVALID_PARAMETER;
    *entry_size = 0;
    *entry = NULL;
    /* no container with names and no PAB to fall back on */
    return MAPI_E_NOT_FOUND;
}

static HRESULT WINAPI addrbook_SetDefaultDir( IAddrBook *iface, ULONG entry_size, ENTRYID *entry )
{
    struct addrbook *book = impl_from_IAddrBook( iface );

    TRACE( "%p, %lu, %p.\n", iface, entry_size, entry );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!entry) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_UNKNOWN_ENTRYID;
}

static HRESULT WINAPI addrbook_GetSearchPath( IAddrBook *iface, ULONG flags, SRowSet **search_path )
{
    struct addrbook *book = impl_from_IAddrBook( iface );
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", iface, flags, search_path );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!search_path) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    /* no containers in the hierarchy: an empty row set */
    if ((hr = MAPIAllocateBuffer( sizeof(SRowSet), (void **)search_path ))) return hr;
    (*search_path)->cRows = 0;
    return S_OK;
}

static HRESULT WINAPI addrbook_SetSearchPath( IAddrBook *iface, ULONG flags, SRowSet *search_path )
{
    struct addrbook *book = impl_from_IAddrBook( iface );
    ULONG i;

    TRACE( "%p, %#lx, %p.\n", iface, flags, search_path );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!search_path) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    for (i = 0; i < search_path->cRows; i++)
    {
        if (!PpropFindProp( search_path->aRow[i].lpProps, search_path->aRow[i].cValues, PR_ENTRYID ))
            return MAPI_E_INVALID_PARAMETER;
        /* every container would be a provider's */
        return MAPI_E_UNKNOWN_ENTRYID;
    }
    book->search_path_set = TRUE;
    return S_OK;
}

static HRESULT WINAPI addrbook_PrepareRecips( IAddrBook *iface, ULONG flags, SPropTagArray *tags, ADRLIST *list )
{
    struct addrbook *book = impl_from_IAddrBook( iface );
    SPropValue one_off[ONE_OFF_PROP_COUNT], *first, *found;
    WCHAR *strings[3];
    ULONG i, j, k;
    void *block;
    WORD oo_flags;
    HRESULT hr;

    TRACE( "%p, %#lx, %p, %p.\n", iface, flags, tags, list );

    if (liveness_dead( book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!list) return MAPI_E_INVALID_PARAMETER;

    for (i = 0; i < list->cEntries; i++)
    {
        ADRENTRY *entry = &list->aEntries[i];
        ULONG count = 0;
        BOOL unicode;

        if (!(found = PpropFindProp( entry->rgPropVals, entry->cValues, PR_ENTRYID ))) return MAPI_E_INVALID_PARAMETER;
        /* one-off IDs are long-term already; any other would be a provider's */
        if (FAILED(one_off_parse( found->Value.bin.cb, (ENTRYID *)found->Value.bin.lpb, strings, &oo_flags )))
            return MAPI_E_UNKNOWN_ENTRYID;
        if (!tags || !tags->cValues)
        {
            free_strings( strings );
            continue;
        }
        if ((hr = MAPIAllocateBuffer( 1, &block )))
        {
            free_strings( strings );
            return hr;
        }
        unicode = !!(oo_flags & MAPI_ONE_OFF_UNICODE);
        memset( one_off, 0, sizeof(one_off) );
        hr = one_off_props( one_off, strings[0], strings[1], strings[2], unicode,
                            !(oo_flags & MAPI_ONE_OFF_NO_RICH_INFO), block );
        free_strings( strings );
        if (SUCCEEDED(hr)) hr = MAPIAllocateMore( tags->cValues * sizeof(*first), block, (void **)&first );
        for (j = 0; SUCCEEDED(hr) && j < tags->cValues; j++)
        {
            ULONG tag = tags->aulPropTag[j];

            /* the recipient's own value, else the one-off's, else an error */
            if ((found = PpropFindProp( entry->rgPropVals, entry->cValues, tag ))) first[count] = *found;
            else
            {
                for (k = 0; k < ONE_OFF_PROP_COUNT; k++)
                    if (one_off[k].ulPropTag == tag || (PROP_TYPE(tag) == PT_UNSPECIFIED
                                                        && PROP_ID(one_off[k].ulPropTag) == PROP_ID(tag)))
                        break;
                if (k < ONE_OFF_PROP_COUNT) first[count] = one_off[k];
                else
                {
                    first[count].ulPropTag = PROP_TAG( PT_ERROR, PROP_ID(tag) );
                    first[count].Value.err = MAPI_E_NOT_FOUND;
                }
            }
            first[count].dwAlignPad = 0;
            count++;
        }
        if (SUCCEEDED(hr)) hr = replace_entry_props( entry, first, count, block );
        MAPIFreeBuffer( block );
        if (FAILED(hr)) return hr;
    }
    return S_OK;
}

static const IAddrBookVtbl addrbook_vtbl =
{
    addrbook_QueryInterface,
    addrbook_AddRef,
    addrbook_Release,
    addrbook_GetLastError,
    addrbook_SaveChanges,
    addrbook_GetProps,
    addrbook_GetPropList,
    addrbook_OpenProperty,
    addrbook_SetProps,
    addrbook_DeleteProps,
    addrbook_CopyTo,
    addrbook_CopyProps,
    addrbook_GetNamesFromIDs,
    addrbook_GetIDsFromNames,
    addrbook_OpenEntry,
    addrbook_CompareEntryIDs,
    addrbook_Advise,
    addrbook_Unadvise,
    addrbook_CreateOneOff,
    addrbook_NewEntry,
    addrbook_ResolveName,
    addrbook_Address,
    addrbook_Details,
    addrbook_RecipOptions,
    addrbook_QueryDefaultRecipOpt,
    addrbook_GetPAB,
    addrbook_SetPAB,
    addrbook_GetDefaultDir,
    addrbook_SetDefaultDir,
    addrbook_GetSearchPath,
    addrbook_SetSearchPath,
    addrbook_PrepareRecips,
};

/* A read-only property object holding props. */
static HRESULT readonly_props( const SPropValue *props, ULONG count, IPropData **out )
{
    HRESULT hr;

    if (FAILED(hr = iprop_create( MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, out ))) return hr;
    if (FAILED(hr = IPropData_SetProps( *out, count, (SPropValue *)props, NULL ))
            || FAILED(hr = IPropData_HrSetObjAccess( *out, IPROP_READONLY )))
    {
        IPropData_Release( *out );
        *out = NULL;
    }
    return hr;
}

/* The address book of OWNER (a session or a support object); see addrbook_owner_ended. */
HRESULT addrbook_create( const void *owner, const IID *iid, IAddrBook **out )
{
    struct addrbook *book;
    SPropValue prop;
    HRESULT hr;

    if (iid && !IsEqualIID( iid, &IID_IAddrBook ) && !IsEqualIID( iid, &IID_IMAPIProp )
            && !IsEqualIID( iid, &IID_IUnknown ))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (!(book = calloc( 1, sizeof(*book) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(book->liveness = liveness_create()))
    {
        free( book );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    prop.ulPropTag = PR_OBJECT_TYPE;
    prop.Value.l = MAPI_ADDRBOOK;
    if (FAILED(hr = readonly_props( &prop, 1, &book->props )))
    {
        liveness_release( book->liveness );
        free( book );
        return hr;
    }
    book->IAddrBook_iface.lpVtbl = &addrbook_vtbl;
    book->refcount = 1;
    book->owner = owner;
    EnterCriticalSection( &addrbook_cs );
    book->next = addrbooks;
    addrbooks = book;
    LeaveCriticalSection( &addrbook_cs );
    TRACE( "created address book %p for %p.\n", book, owner );
    *out = &book->IAddrBook_iface;
    return S_OK;
}

/* The root container: no recipients, and no subcontainers without providers. */
static HRESULT WINAPI container_QueryInterface( IABContainer *iface, REFIID riid, void **out )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (IsEqualIID( riid, &IID_IUnknown ) || IsEqualIID( riid, &IID_IMAPIProp )
            || IsEqualIID( riid, &IID_IMAPIContainer ) || IsEqualIID( riid, &IID_IABContainer ))
    {
        *out = iface;
        IABContainer_AddRef( iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static ULONG WINAPI container_AddRef( IABContainer *iface )
{
    struct ab_container *container = impl_from_IABContainer( iface );
    ULONG refcount = InterlockedIncrement( &container->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI container_Release( IABContainer *iface )
{
    struct ab_container *container = impl_from_IABContainer( iface );
    ULONG refcount = InterlockedDecrement( &container->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        ITableData_Release( container->hierarchy );
        IPropData_Release( container->props );
        IAddrBook_Release( &container->book->IAddrBook_iface );
        free( container );
    }
    return refcount;
}

static HRESULT WINAPI container_GetLastError( IABContainer *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetLastError( container->props, result, flags, error );
}

static HRESULT WINAPI container_SaveChanges( IABContainer *iface, ULONG flags )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %#lx.\n", iface, flags );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI container_GetProps( IABContainer *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                          SPropValue **props )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, props );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetProps( container->props, tags, flags, count, props );
}

static HRESULT WINAPI container_GetPropList( IABContainer *iface, ULONG flags, SPropTagArray **tags )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, tags );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetPropList( container->props, flags, tags );
}

static HRESULT WINAPI container_OpenProperty( IABContainer *iface, ULONG tag, const IID *iid, ULONG options,
                                              ULONG flags, IUnknown **unk )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, unk );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_OpenProperty( container->props, tag, iid, options, flags, unk );
}

static HRESULT WINAPI container_SetProps( IABContainer *iface, ULONG count, SPropValue *props,
                                          SPropProblemArray **problems )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_SetProps( container->props, count, props, problems );
}

static HRESULT WINAPI container_DeleteProps( IABContainer *iface, SPropTagArray *tags,
                                             SPropProblemArray **problems )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_DeleteProps( container->props, tags, problems );
}

static HRESULT WINAPI container_CopyTo( IABContainer *iface, ULONG exclude_count, const IID *exclude_iids,
                                        SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                        const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude_props,
           ui_param, progress, debugstr_guid(iid), dest, flags, problems );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_CopyTo( container->props, exclude_count, exclude_iids, exclude_props, ui_param, progress,
                             iid, dest, flags, problems );
}

static HRESULT WINAPI container_CopyProps( IABContainer *iface, SPropTagArray *include_props, ULONG ui_param,
                                           IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                           SPropProblemArray **problems )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include_props, ui_param, progress,
           debugstr_guid(iid), dest, flags, problems );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_CopyProps( container->props, include_props, ui_param, progress, iid, dest, flags, problems );
}

static HRESULT WINAPI container_GetNamesFromIDs( IABContainer *iface, SPropTagArray **tags, GUID *guid,
                                                 ULONG flags, ULONG *count, MAPINAMEID ***names )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetNamesFromIDs( container->props, tags, guid, flags, count, names );
}

static HRESULT WINAPI container_GetIDsFromNames( IABContainer *iface, ULONG count, MAPINAMEID **names,
                                                 ULONG flags, SPropTagArray **tags )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, count, names, flags, tags );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return IPropData_GetIDsFromNames( container->props, count, names, flags, tags );
}

static HRESULT WINAPI container_GetContentsTable( IABContainer *iface, ULONG flags, IMAPITable **table )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    /* the root holds containers only (no AB_RECIPIENTS) */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_GetHierarchyTable( IABContainer *iface, ULONG flags, IMAPITable **table )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(CONVENIENT_DEPTH | MAPI_DEFERRED_ERRORS | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    return table_data_get_view( container->hierarchy, container->book->liveness, table );
}

static HRESULT WINAPI container_OpenEntry( IABContainer *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                           ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %lu, %p, %s, %#lx, %p, %p.\n", iface, entry_size, entry, debugstr_guid(iid), flags, obj_type, unk );

    return IAddrBook_OpenEntry( &container->book->IAddrBook_iface, entry_size, entry, iid, flags, obj_type, unk );
}

static HRESULT WINAPI container_SetSearchCriteria( IABContainer *iface, SRestriction *restriction,
                                                   ENTRYLIST *containers, ULONG flags )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %p, %p, %#lx.\n", iface, restriction, containers, flags );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_GetSearchCriteria( IABContainer *iface, ULONG flags, SRestriction **restriction,
                                                   ENTRYLIST **containers, ULONG *state )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %#lx, %p, %p, %p.\n", iface, flags, restriction, containers, state );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_CreateEntry( IABContainer *iface, ULONG entry_size, ENTRYID *entry, ULONG flags,
                                             IMAPIProp **prop )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, entry_size, entry, flags, prop );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    /* the root is not modifiable */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_CopyEntries( IABContainer *iface, ENTRYLIST *entries, ULONG_PTR ui_param,
                                             IMAPIProgress *progress, ULONG flags )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %p, %#Ix, %p, %#lx.\n", iface, entries, ui_param, progress, flags );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_DeleteEntries( IABContainer *iface, ENTRYLIST *entries, ULONG flags )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %p, %#lx.\n", iface, entries, flags );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI container_ResolveNames( IABContainer *iface, SPropTagArray *tags, ULONG flags,
                                              ADRLIST *list, FlagList *flag_list )
{
    struct ab_container *container = impl_from_IABContainer( iface );

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, list, flag_list );

    if (liveness_dead( container->book->liveness )) return MAPI_E_INVALID_OBJECT;
    /* iabcontainer-resolvenames.md: callers fall back to PR_ANR restrictions */
    return MAPI_E_NO_SUPPORT;
}

static const IABContainerVtbl container_vtbl =
{
    container_QueryInterface,
    container_AddRef,
    container_Release,
    container_GetLastError,
    container_SaveChanges,
    container_GetProps,
    container_GetPropList,
    container_OpenProperty,
    container_SetProps,
    container_DeleteProps,
    container_CopyTo,
    container_CopyProps,
    container_GetNamesFromIDs,
    container_GetIDsFromNames,
    container_GetContentsTable,
    container_GetHierarchyTable,
    container_OpenEntry,
    container_SetSearchCriteria,
    container_GetSearchCriteria,
    container_CreateEntry,
    container_CopyEntries,
    container_DeleteEntries,
    container_ResolveNames,
};

static HRESULT container_create( struct addrbook *book, IABContainer **out )
{
    static const SizedSPropTagArray(7, columns) =
    {
        7, { PR_ENTRYID, PR_DISPLAY_NAME_W, PR_DEPTH, PR_CONTAINER_FLAGS, PR_DISPLAY_TYPE, PR_INSTANCE_KEY,
             PR_OBJECT_TYPE }
    };
    struct ab_container *container;
    SPropValue props[2];
    HRESULT hr;

    if (!(container = calloc( 1, sizeof(*container) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    props[0].ulPropTag = PR_OBJECT_TYPE;
    props[0].Value.l = MAPI_ABCONT;
    props[1].ulPropTag = PR_CONTAINER_FLAGS;
    props[1].Value.l = AB_SUBCONTAINERS | AB_UNMODIFIABLE;
    if (FAILED(hr = readonly_props( props, ARRAY_SIZE(props), &container->props )))
    {
        free( container );
        return hr;
    }
    if (FAILED(hr = CreateTable( &IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                                 TBLTYPE_DYNAMIC, PR_INSTANCE_KEY, (SPropTagArray *)&columns,
                                 &container->hierarchy )))
    {
        IPropData_Release( container->props );
        free( container );
        return hr;
    }
    container->IABContainer_iface.lpVtbl = &container_vtbl;
    container->refcount = 1;
    container->book = book;
    IAddrBook_AddRef( &book->IAddrBook_iface );
    *out = &container->IABContainer_iface;
    return S_OK;
}
