/*
 * MAPILogonEx and IMAPISession
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
 * A session is one client's IMAPISession.  What the clients of a shared
 * session (MAPI_ALLOW_OTHERS) have in common lives in a session_core: the
 * profile, the store providers and the message store and status tables.
 * The providers are torn down when the last client logs off or releases
 * its session (R6.9).  Sharing is per process.
 *
 * Notifications of the session itself (table changes, fnevCriticalError
 * on MAPI_LOGOFF_SHARED) are delivered synchronously on the thread that
 * causes them; only those providers raise through IMAPISupport::Notify go
 * to the MAPI_MULTITHREAD_NOTIFICATIONS thread (support.c, init.c).
 */

#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* the profile MAPILogonEx creates when there is none at all */
#define DEFAULT_PROFILE_NAME L"Outlook"
#define DEFAULT_PST_SERVICE  L"MSUPST MS"

struct advise
{
    struct advise *next;
    ULONG connection;
    ULONG event_mask;
    IMAPIAdviseSink *sink;
};

/* a SetDefaultStore(MAPI_SIMPLE_STORE_TEMPORARY) that is not in the profile */
struct temp_flags
{
    struct temp_flags *next;
    MAPIUID section;
};

struct session_core
{
    LONG users;
    BOOL shared;
    BOOL logged_off;
    WCHAR *profile;
    struct store_provider *providers;
    ITableData *stores[2];
    ITableData *status[2];
    struct temp_flags *temp_simple;
};

struct session
{
    IMAPISession IMAPISession_iface;
    LONG refcount;
    struct session *next;
    struct session_core *core;
    BOOL logged_off;
    struct liveness *liveness;  /* of what this client was given; dies at its Logoff */
    ULONG flags;
    struct advise *advises;
    ULONG next_connection;
};

static struct session *sessions;
static struct session_core *shared_core;
static CRITICAL_SECTION sessions_cs;
static CRITICAL_SECTION_DEBUG sessions_cs_debug =
{
    0, 0, &sessions_cs,
    { &sessions_cs_debug.ProcessLocksList, &sessions_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": sessions_cs") }
};
static CRITICAL_SECTION sessions_cs = { &sessions_cs_debug, -1, 0, 0, 0, 0 };

/* the identity MAPI returns when no provider supplies one (QueryIdentity) */
static const MAPIUID no_identity_uid =
    {{ 0x9c, 0x2f, 0x51, 0x7e, 0x3a, 0x44, 0x4d, 0x2b, 0x8e, 0x61, 0x0d, 0x5a, 0xc4, 0x27, 0x90, 0x13 }};
/* the subsystem's row in the status table */
static const MAPIUID subsystem_uid =
    {{ 0x9c, 0x2f, 0x51, 0x7e, 0x3a, 0x44, 0x4d, 0x2b, 0x8e, 0x61, 0x0d, 0x5a, 0xc4, 0x27, 0x90, 0x14 }};

static inline struct session *impl_from_IMAPISession( IMAPISession *iface )
{
    return CONTAINING_RECORD( iface, struct session, IMAPISession_iface );
}

/* Copies props, turning strings into the one type a table holds. */
static HRESULT convert_row( const SPropValue *props, ULONG count, BOOL unicode, SPropValue **out )
{
    SPropValue *row;
    ULONG i;
    SCODE sc;
    int len;

    if ((sc = ScDupPropset( count, (SPropValue *)props, MAPIAllocateBuffer, &row ))) return sc;
    for (i = 0; i < count; i++)
    {
        if (unicode && PROP_TYPE(row[i].ulPropTag) == PT_STRING8)
        {
            len = MultiByteToWideChar( CP_ACP, 0, row[i].Value.lpszA, -1, NULL, 0 );
            if ((sc = MAPIAllocateMore( len * sizeof(WCHAR), row, (void **)&row[i].Value.lpszW ))) break;
            MultiByteToWideChar( CP_ACP, 0, props[i].Value.lpszA, -1, row[i].Value.lpszW, len );
            row[i].ulPropTag = CHANGE_PROP_TYPE( row[i].ulPropTag, PT_UNICODE );
        }
        else if (!unicode && PROP_TYPE(row[i].ulPropTag) == PT_UNICODE)
        {
            len = WideCharToMultiByte( CP_ACP, 0, row[i].Value.lpszW, -1, NULL, 0, NULL, NULL );
            if ((sc = MAPIAllocateMore( len, row, (void **)&row[i].Value.lpszA ))) break;
            WideCharToMultiByte( CP_ACP, 0, props[i].Value.lpszW, -1, row[i].Value.lpszA, len, NULL, NULL );
            row[i].ulPropTag = CHANGE_PROP_TYPE( row[i].ulPropTag, PT_STRING8 );
        }
    }
    if (sc)
    {
        MAPIFreeBuffer( row );
        return sc;
    }
    *out = row;
    return S_OK;
}

HRESULT session_tables_set_row( ITableData **tables, const SPropValue *props, ULONG count )
{
    SPropValue *converted = NULL;
    unsigned int i;
    HRESULT hr = S_OK;
    SRow row;

    for (i = 0; i < 2 && SUCCEEDED(hr); i++)
    {
        if (!tables[i]) continue;
        if (FAILED(hr = convert_row( props, count, i == 1, &converted ))) break;
        row.ulAdrEntryPad = 0;
        row.cValues = count;
        row.lpProps = converted;
        hr = ITableData_HrModifyRow( tables[i], &row );
        MAPIFreeBuffer( converted );
    }
    return hr;
}

/* STATUSROW_UPDATE: the new columns replace or join those of the existing row */
HRESULT session_tables_merge_row( ITableData **tables, const SPropValue *key, const SPropValue *props, ULONG count )
{
    SPropValue *merged;
    SRow *old = NULL;
    ULONG total, i, j, row_num;
    HRESULT hr;

    if (!tables[1]) return S_OK;
    /* the Unicode table is the reference; both hold the same columns */
    if (FAILED(hr = ITableData_HrQueryRow( tables[1], (SPropValue *)key, &old, &row_num ))) return hr;
    if (!(merged = calloc( old->cValues + count, sizeof(*merged) )))
    {
        MAPIFreeBuffer( old );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy( merged, old->lpProps, old->cValues * sizeof(*merged) );
    total = old->cValues;
    for (i = 0; i < count; i++)
    {
        for (j = 0; j < total; j++)
            if (PROP_ID(merged[j].ulPropTag) == PROP_ID(props[i].ulPropTag)) break;
        merged[j] = props[i];
        if (j == total) total++;
    }
    hr = session_tables_set_row( tables, merged, total );
    free( merged );
    MAPIFreeBuffer( old );
    return hr;
}

void session_tables_delete_row( ITableData **tables, const SPropValue *key )
{
    unsigned int i;

    for (i = 0; i < 2; i++)
        if (tables[i]) ITableData_HrDeleteRow( tables[i], (SPropValue *)key );
}

static void tables_release( ITableData **tables )
{
    unsigned int i;

    for (i = 0; i < 2; i++)
    {
        if (tables[i]) ITableData_Release( tables[i] );
        tables[i] = NULL;
    }
}

static HRESULT tables_create( ITableData **tables, ULONG index_tag, const SPropTagArray *columns_a,
                              const SPropTagArray *columns_w )
{
    HRESULT hr;

    if (FAILED(hr = CreateTable( &IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                                 TBLTYPE_DYNAMIC, index_tag, (SPropTagArray *)columns_a, &tables[0] )))
        return hr;
    if (FAILED(hr = CreateTable( &IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                                 TBLTYPE_DYNAMIC, index_tag, (SPropTagArray *)columns_w, &tables[1] )))
        tables_release( tables );
    return hr;
}

/* A string property of a profile section, whichever type it was stored as. */
static WCHAR *section_string( const WCHAR *profile, const MAPIUID *uid, ULONG tag )
{
    WCHAR *ret = NULL;
    BYTE *data;
    DWORD size;
    int len;

    if (SUCCEEDED(profile_section_read( profile, uid, CHANGE_PROP_TYPE( tag, PT_UNICODE ), &data, &size )))
        return (WCHAR *)data;
    if (FAILED(profile_section_read( profile, uid, CHANGE_PROP_TYPE( tag, PT_STRING8 ), &data, &size )))
        return NULL;
    len = MultiByteToWideChar( CP_ACP, 0, (char *)data, -1, NULL, 0 );
    if ((ret = malloc( len * sizeof(WCHAR) ))) MultiByteToWideChar( CP_ACP, 0, (char *)data, -1, ret, len );
    free( data );
    return ret;
}

static ULONG section_long( const WCHAR *profile, const MAPIUID *uid, ULONG tag )
{
    ULONG value = 0;
    BYTE *data;
    DWORD size;

    if (FAILED(profile_section_read( profile, uid, tag, &data, &size ))) return 0;
    if (size == sizeof(value)) memcpy( &value, data, sizeof(value) );
    free( data );
    return value;
}

static BOOL core_temp_simple( struct session_core *core, const MAPIUID *section )
{
    struct temp_flags *temp;

    for (temp = core->temp_simple; temp; temp = temp->next)
        if (!memcmp( &temp->section, section, sizeof(*section) )) return TRUE;
    return FALSE;
}

/* The entry ID of a store: the wrapped one its provider wrote to its section,
 * or, for a store never opened, one that names the section. */
static HRESULT store_entryid( const WCHAR *profile, const struct profile_provider *provider, ULONG *size,
                              ENTRYID **entry )
{
    BYTE *data;
    DWORD data_size;
    HRESULT hr;

    if (SUCCEEDED(profile_section_read( profile, &provider->uid, PR_ENTRYID, &data, &data_size )))
    {
        if (!(hr = MAPIAllocateBuffer( data_size, (void **)entry )))
        {
            memcpy( *entry, data, data_size );
            *size = data_size;
        }
        free( data );
        return hr;
    }
    return wrap_store_entryid( provider->dll_name ? provider->dll_name : "", WRAP_FLAG_SECTION,
                               sizeof(provider->uid), (ENTRYID *)&provider->uid, size, entry );
}

/* A provider's status row, keyed by its profile section like its store
 * row, shows the same resource flags (SetDefaultStore changes them). */
static void core_update_status_flags( struct session_core *core, const MAPIUID *uid, ULONG flags )
{
    SPropValue key, prop;

    key.ulPropTag = PR_INSTANCE_KEY;
    key.Value.bin.cb = sizeof(*uid);
    key.Value.bin.lpb = (BYTE *)uid;
    prop.ulPropTag = PR_RESOURCE_FLAGS;
    prop.Value.l = flags;
    /* a provider that never called ModifyStatusRow has no row to update */
    session_tables_merge_row( core->status, &key, &prop, 1 );
}

/* (Re)builds the message store table row of one store provider; fnevTableModified follows. */
static HRESULT core_update_store_row( struct session_core *core, const struct profile_provider *provider )
{
    WCHAR *display, *provider_display;
    SPropValue props[10];
    ENTRYID *entry = NULL;
    ULONG entry_size = 0, flags, count = 0;
    BYTE *mdb = NULL;
    DWORD mdb_size;
    HRESULT hr;

    if (FAILED(hr = store_entryid( core->profile, provider, &entry_size, &entry ))) return hr;
    display = section_string( core->profile, &provider->uid, PR_DISPLAY_NAME_W );
    provider_display = section_string( core->profile, &provider->uid, PR_PROVIDER_DISPLAY_W );
    flags = section_long( core->profile, &provider->uid, PR_RESOURCE_FLAGS );
    if (core_temp_simple( core, &provider->uid )) flags |= STATUS_SIMPLE_STORE;
    if (FAILED(profile_section_read( core->profile, &provider->uid, PR_MDB_PROVIDER, &mdb, &mdb_size )))
        mdb = NULL;

    props[count].ulPropTag = PR_INSTANCE_KEY;
    props[count].Value.bin.cb = sizeof(provider->uid);
    props[count++].Value.bin.lpb = (BYTE *)&provider->uid;
    props[count].ulPropTag = PR_RECORD_KEY;
    props[count].Value.bin.cb = sizeof(provider->uid);
    props[count++].Value.bin.lpb = (BYTE *)&provider->uid;
    props[count].ulPropTag = PR_ENTRYID;
    props[count].Value.bin.cb = entry_size;
    props[count++].Value.bin.lpb = (BYTE *)entry;
    if (display)
    {
        props[count].ulPropTag = PR_DISPLAY_NAME_W;
        props[count++].Value.lpszW = display;
    }
    else
    {
        props[count].ulPropTag = PROP_TAG( PT_ERROR, PROP_ID(PR_DISPLAY_NAME_W) );
        props[count++].Value.err = MAPI_E_NOT_FOUND;
    }
    if (provider_display)
    {
        props[count].ulPropTag = PR_PROVIDER_DISPLAY_W;
        props[count++].Value.lpszW = provider_display;
    }
    else
    {
        props[count].ulPropTag = PROP_TAG( PT_ERROR, PROP_ID(PR_PROVIDER_DISPLAY_W) );
        props[count++].Value.err = MAPI_E_NOT_FOUND;
    }
    if (mdb)
    {
        props[count].ulPropTag = PR_MDB_PROVIDER;
        props[count].Value.bin.cb = mdb_size;
        props[count++].Value.bin.lpb = mdb;
    }
    else
    {
        props[count].ulPropTag = PROP_TAG( PT_ERROR, PROP_ID(PR_MDB_PROVIDER) );
        props[count++].Value.err = MAPI_E_NOT_FOUND;
    }
    props[count].ulPropTag = PR_RESOURCE_FLAGS;
    props[count++].Value.l = flags;
    props[count].ulPropTag = PR_DEFAULT_STORE;
    props[count++].Value.b = !!(flags & STATUS_DEFAULT_STORE);
    props[count].ulPropTag = PR_OBJECT_TYPE;
    props[count++].Value.l = MAPI_STORE;
    props[count].ulPropTag = PR_RESOURCE_TYPE;
    props[count++].Value.l = MAPI_STORE_PROVIDER;

    hr = session_tables_set_row( core->stores, props, count );
    if (SUCCEEDED(hr)) core_update_status_flags( core, &provider->uid, flags );
    MAPIFreeBuffer( entry );
    free( display );
    free( provider_display );
    free( mdb );
    return hr;
}

static BOOL provider_listed( const struct profile_provider *providers, unsigned int count, const SPropValue *key )
{
    unsigned int i;

    if (!key || key->ulPropTag != PR_INSTANCE_KEY || key->Value.bin.cb != sizeof(MAPIUID)) return FALSE;
    for (i = 0; i < count; i++)
        if (!memcmp( key->Value.bin.lpb, &providers[i].uid, sizeof(MAPIUID) )) return TRUE;
    return FALSE;
}

/* Drops the rows of stores whose provider left the profile; ITableData
 * tells the views (TABLE_ROW_DELETED). */
static void core_remove_stale_rows( struct session_core *core, const struct profile_provider *providers,
                                    unsigned int count )
{
    SPropValue *key;
    unsigned int t;
    ULONG index;
    SRow *row;

    for (t = 0; t < ARRAY_SIZE(core->stores); t++)
    {
        if (!core->stores[t]) continue;
        for (index = 0; SUCCEEDED(ITableData_HrEnumRow( core->stores[t], index, &row )) && row; )
        {
            key = PpropFindProp( row->lpProps, row->cValues, PR_INSTANCE_KEY );
            if (key && !provider_listed( providers, count, key ))
                ITableData_HrDeleteRow( core->stores[t], key );
            else
                index++;
            MAPIFreeBuffer( row );
        }
    }
}

/* Rows for every store provider of the profile (or only the one given);
 * with no provider given, rows of providers that left the profile go. */
static HRESULT core_update_store_rows( struct session_core *core, const MAPIUID *only )
{
    struct profile_provider *providers;
    unsigned int count, i;
    HRESULT hr;

    if (!core->profile) return S_OK;
    if (FAILED(hr = profile_enum_providers( core->profile, MAPI_STORE_PROVIDER, &providers, &count ))) return hr;
    for (i = 0; i < count && SUCCEEDED(hr); i++)
    {
        if (only && memcmp( only, &providers[i].uid, sizeof(*only) )) continue;
        hr = core_update_store_row( core, &providers[i] );
    }
    if (!only) core_remove_stale_rows( core, providers, count );
    profile_free_providers( providers, count );
    return hr;
}

/* A service or provider of PROFILE was added, changed or removed: the
 * message store tables of the sessions using it follow.  Changes made in
 * another process show at the next logon. */
void session_profile_changed( const WCHAR *profile )
{
    struct session *session, *other;

    EnterCriticalSection( &sessions_cs );
    for (session = sessions; session; session = session->next)
    {
        if (!session->core || session->core->logged_off || !session->core->profile) continue;
        if (wcsicmp( session->core->profile, profile )) continue;
        /* sessions sharing a core update it once */
        for (other = sessions; other != session; other = other->next)
            if (other->core == session->core) break;
        if (other != session) continue;
        core_update_store_rows( session->core, NULL );
    }
    LeaveCriticalSection( &sessions_cs );
}

static HRESULT core_add_subsystem_row( struct session_core *core )
{
    struct status_entryid entryid;
    SPropValue props[9];
    ULONG count = 0;

    props[count].ulPropTag = PR_INSTANCE_KEY;
    props[count].Value.bin.cb = sizeof(subsystem_uid);
    props[count++].Value.bin.lpb = (BYTE *)&subsystem_uid;
    status_entryid_init( &entryid, &subsystem_uid );
    props[count].ulPropTag = PR_ENTRYID;
    props[count].Value.bin.cb = sizeof(entryid);
    props[count++].Value.bin.lpb = (BYTE *)&entryid;
    props[count].ulPropTag = PR_OBJECT_TYPE;
    props[count++].Value.l = MAPI_STATUS;
    props[count].ulPropTag = PR_RESOURCE_TYPE;
    props[count++].Value.l = MAPI_SUBSYSTEM;
    props[count].ulPropTag = PR_RESOURCE_FLAGS;
    props[count++].Value.l = 0;
    props[count].ulPropTag = PR_RESOURCE_METHODS;
    props[count++].Value.l = 0;
    props[count].ulPropTag = PR_STATUS_CODE;
    props[count++].Value.l = STATUS_AVAILABLE;
    props[count].ulPropTag = PR_DISPLAY_NAME_W;
    props[count++].Value.lpszW = (WCHAR *)L"MAPI Subsystem";
    props[count].ulPropTag = PR_PROVIDER_DLL_NAME_A;
    props[count++].Value.lpszA = (char *)"winemapix.dll";
    return session_tables_set_row( core->status, props, count );
}

static void core_free( struct session_core *core )
{
    struct temp_flags *temp;

    tables_release( core->stores );
    tables_release( core->status );
    while ((temp = core->temp_simple))
    {
        core->temp_simple = temp->next;
        free( temp );
    }
    free( core->profile );
    free( core );
}

static HRESULT core_create( const WCHAR *profile, BOOL shared, struct session_core **out )
{
    static const SizedSPropTagArray(10, store_columns_a) =
    {
        10, { PR_DISPLAY_NAME_A, PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_PROVIDER_DISPLAY_A,
              PR_MDB_PROVIDER, PR_RESOURCE_FLAGS, PR_DEFAULT_STORE, PR_OBJECT_TYPE, PR_RESOURCE_TYPE }
    };
    static const SizedSPropTagArray(10, store_columns_w) =
    {
        10, { PR_DISPLAY_NAME_W, PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_PROVIDER_DISPLAY_W,
              PR_MDB_PROVIDER, PR_RESOURCE_FLAGS, PR_DEFAULT_STORE, PR_OBJECT_TYPE, PR_RESOURCE_TYPE }
    };
    static const SizedSPropTagArray(9, status_columns_a) =
    {
        9, { PR_DISPLAY_NAME_A, PR_PROVIDER_DLL_NAME_A, PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS, PR_RESOURCE_METHODS,
             PR_STATUS_CODE, PR_ENTRYID, PR_INSTANCE_KEY, PR_OBJECT_TYPE }
    };
    static const SizedSPropTagArray(9, status_columns_w) =
    {
        9, { PR_DISPLAY_NAME_W, PR_PROVIDER_DLL_NAME_W, PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS, PR_RESOURCE_METHODS,
             PR_STATUS_CODE, PR_ENTRYID, PR_INSTANCE_KEY, PR_OBJECT_TYPE }
    };
    struct session_core *core;
    HRESULT hr;

    if (!(core = calloc( 1, sizeof(*core) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    core->users = 1;
    core->shared = shared;
    if (profile && !(core->profile = wcsdup( profile ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (SUCCEEDED(hr = tables_create( core->stores, PR_INSTANCE_KEY, (const SPropTagArray *)&store_columns_a,
                                           (const SPropTagArray *)&store_columns_w ))
             && SUCCEEDED(hr = tables_create( core->status, PR_INSTANCE_KEY,
                                              (const SPropTagArray *)&status_columns_a,
                                              (const SPropTagArray *)&status_columns_w ))
             && SUCCEEDED(hr = core_add_subsystem_row( core )))
        hr = core_update_store_rows( core, NULL );
    if (FAILED(hr))
    {
        core_free( core );
        return hr;
    }
    *out = core;
    return S_OK;
}

/* Sequence (c) of §10 for the last user of the core. */
static void core_release_user( struct session_core *core )
{
    BOOL last;

    EnterCriticalSection( &sessions_cs );
    last = !--core->users;
    if (last && shared_core == core) shared_core = NULL;
    LeaveCriticalSection( &sessions_cs );
    if (!last) return;

    core->logged_off = TRUE;
    /* Q5: stores first; there are no address book or transport providers yet */
    store_providers_shutdown( &core->providers );
    core_free( core );
}

/* Q14: tells the other clients of a shared session that it is ending. */
static void session_notify_end( struct session *session )
{
    IMAPIAdviseSink **sinks = NULL, **tmp;
    unsigned int count = 0, i;
    NOTIFICATION notification;
    struct session *other;
    struct advise *advise;

    EnterCriticalSection( &sessions_cs );
    for (other = sessions; other; other = other->next)
    {
        if (other == session || other->core != session->core || other->logged_off) continue;
        for (advise = other->advises; advise; advise = advise->next)
        {
            if (!(advise->event_mask & fnevCriticalError)) continue;
            if (!(tmp = realloc( sinks, (count + 1) * sizeof(*sinks) ))) break;
            sinks = tmp;
            sinks[count++] = advise->sink;
            IMAPIAdviseSink_AddRef( advise->sink );
        }
    }
    LeaveCriticalSection( &sessions_cs );

    memset( &notification, 0, sizeof(notification) );
    notification.ulEventType = fnevCriticalError;
    notification.info.err.scode = MAPI_E_END_OF_SESSION;
    for (i = 0; i < count; i++)
    {
        IMAPIAdviseSink_OnNotify( sinks[i], 1, &notification );
        IMAPIAdviseSink_Release( sinks[i] );
    }
    free( sinks );
}

/* Sequence (c) of §10 for one client; also the implicit logoff of Q6 and scenario (d). */
static void session_logoff( struct session *session )
{
    struct advise *advise;

    if (session->logged_off) return;
    session->logged_off = TRUE;
    liveness_kill( session->liveness );
    addrbook_owner_ended( session );

    while ((advise = session->advises))
    {
        session->advises = advise->next;
        IMAPIAdviseSink_Release( advise->sink );
        free( advise );
    }
    core_release_user( session->core );
}
static HRESULT WINAPI session_QueryInterface( IMAPISession *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualIID( riid, &IID_IUnknown ) || IsEqualIID( riid, &IID_IMAPISession ))
    {
        *out = iface;
        IMAPISession_AddRef( iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

static ULONG WINAPI session_AddRef( IMAPISession *iface )
{
    struct session *session = impl_from_IMAPISession( iface );
    ULONG refcount = InterlockedIncrement( &session->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI session_Release( IMAPISession *iface )
{
    struct session *session = impl_from_IMAPISession( iface );
    ULONG refcount = InterlockedDecrement( &session->refcount );
    struct session **entry;

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        /* Q6: a session released without Logoff is logged off now */
        session_logoff( session );
        EnterCriticalSection( &sessions_cs );
        for (entry = &sessions; *entry; entry = &(*entry)->next)
        {
            if (*entry != session) continue;
            *entry = session->next;
            break;
        }
        LeaveCriticalSection( &sessions_cs );
        liveness_release( session->liveness );
        free( session );
    }
    return refcount;
}

static HRESULT WINAPI session_GetLastError( IMAPISession *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    /* no extended error information is kept */
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI session_GetMsgStoresTable( IMAPISession *iface, ULONG flags, IMAPITable **table )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return table_data_get_view( session->core->stores[(flags & MAPI_UNICODE) ? 1 : 0], session->liveness, table );
}

/* The profile's store provider for a wrapped store entry ID: named by the
 * ID itself (WRAP_FLAG_SECTION), or the one whose PR_ENTRYID it is. */
static BOOL find_store_provider( struct session_core *core, ULONG size, ENTRYID *entry,
                                 struct profile_provider *found )
{
    struct profile_provider *providers;
    unsigned int count, i;
    ULONG inner_size;
    ENTRYID *inner;
    char *dll_name;
    BYTE *data;
    DWORD data_size;
    BOOL ret = FALSE;

    if (!core->profile || FAILED(unwrap_store_entryid( size, entry, &dll_name, &inner_size, &inner ))) return FALSE;
    if (FAILED(profile_enum_providers( core->profile, MAPI_STORE_PROVIDER, &providers, &count ))) return FALSE;
    for (i = 0; i < count && !ret; i++)
    {
        if (store_entryid_wrap_flags( entry ) & WRAP_FLAG_SECTION)
            ret = inner_size == sizeof(MAPIUID) && !memcmp( inner, &providers[i].uid, sizeof(MAPIUID) );
        else if (SUCCEEDED(profile_section_read( core->profile, &providers[i].uid, PR_ENTRYID, &data, &data_size )))
        {
            ret = data_size == size && !memcmp( data, entry, size );
            free( data );
        }
        if (ret)
        {
            *found = providers[i];
            providers[i].dll_name = NULL;
        }
    }
    profile_free_providers( providers, count );
    return ret;
}

static HRESULT WINAPI session_OpenMsgStore( IMAPISession *iface, ULONG_PTR ui_param, ULONG entry_size,
                                            ENTRYID *entry, const IID *iid, ULONG flags, IMsgStore **store )
{
    static const ULONG valid_flags = MDB_NO_DIALOG | MDB_WRITE | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS
                                     | MDB_TEMPORARY | MDB_NO_MAIL | MDB_ONLINE | MAPI_UNICODE;
    struct session *session = impl_from_IMAPISession( iface );
    struct session_core *core;
    struct store_provider *provider;
    struct profile_provider found;
    BOOL in_profile;
    ULONG inner_size;
    ENTRYID *inner;
    char *dll_name;
    HRESULT hr;

    TRACE( "%p, %#Ix, %lu, %p, %s, %#lx, %p.\n", iface, ui_param, entry_size, entry, debugstr_guid(iid), flags,
           store );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!store || !entry) return MAPI_E_INVALID_PARAMETER;
    *store = NULL;
    if (flags & ~valid_flags) return MAPI_E_UNKNOWN_FLAGS;
    core = session->core;

    if (FAILED(hr = unwrap_store_entryid( entry_size, entry, &dll_name, &inner_size, &inner ))) return hr;
    /* one view of the profile for the whole call (profile.c) */
    profile_cache_pin();
    if ((in_profile = find_store_provider( core, entry_size, entry, &found )))
    {
        /* the profile names the DLL; the wrapped ID may come from elsewhere */
        if (found.dll_name) dll_name = found.dll_name;
        /* R2.7: a store not yet chosen is opened with no entry ID */
        if (store_entryid_wrap_flags( entry ) & WRAP_FLAG_SECTION)
        {
            inner_size = 0;
            inner = NULL;
        }
    }
    else if (store_entryid_wrap_flags( entry ) & WRAP_FLAG_SECTION)
    {
        profile_cache_unpin();
        return MAPI_E_NOT_FOUND;
    }

    if (SUCCEEDED(hr = store_provider_open( &core->providers, dll_name, &provider )))
        /* Q15: OpenMsgStore's flags go through unchanged */
        hr = store_provider_logon( &core->providers, provider, core->profile ? core->profile : L"",
                                   in_profile ? &found.uid : NULL, core->status, ui_param, inner_size, inner,
                                   flags, iid, store );
    /* the provider may have written its PR_ENTRYID and PR_DISPLAY_NAME */
    if (SUCCEEDED(hr) && in_profile && !(flags & MDB_TEMPORARY)) core_update_store_rows( core, &found.uid );
    if (in_profile) free( found.dll_name );
    profile_cache_unpin();
    return hr;
}

static HRESULT WINAPI session_OpenAddressBook( IMAPISession *iface, ULONG_PTR ui_param, const IID *iid,
                                               ULONG flags, IAddrBook **address_book )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %#Ix, %s, %#lx, %p.\n", iface, ui_param, debugstr_guid(iid), flags, address_book );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!address_book) return MAPI_E_INVALID_PARAMETER;
    *address_book = NULL;
    if (flags & ~AB_NO_DIALOG) return MAPI_E_UNKNOWN_FLAGS;
    /* no address book providers yet: MAPI's own part of the address book */
    return addrbook_create( session, iid, address_book );
}

static HRESULT WINAPI session_OpenProfileSection( IMAPISession *iface, MAPIUID *uid, const IID *iid, ULONG flags,
                                                  IProfSect **section )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %p, %s, %#lx, %p.\n", iface, uid, debugstr_guid(iid), flags, section );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!uid || !section) return MAPI_E_INVALID_PARAMETER;
    if (iid && !IsEqualIID( iid, &IID_IProfSect ) && !IsEqualIID( iid, &IID_IMAPIProp )
            && !IsEqualIID( iid, &IID_IUnknown ))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (!session->core->profile) return MAPI_E_NOT_FOUND;
    return profsect_create( session->liveness, session->core->profile, uid, flags, section );
}

static HRESULT WINAPI session_GetStatusTable( IMAPISession *iface, ULONG flags, IMAPITable **table )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return table_data_get_view( session->core->status[(flags & MAPI_UNICODE) ? 1 : 0], session->liveness, table );
}

static HRESULT WINAPI session_OpenEntry( IMAPISession *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                         ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    struct session *session = impl_from_IMAPISession( iface );
    struct store_logon *logon;
    MAPIUID row_key;

    TRACE( "%p, %lu, %p, %s, %#lx, %p, %p.\n", iface, entry_size, entry, debugstr_guid(iid), flags,
           obj_type, unk );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!obj_type || !unk) return MAPI_E_INVALID_PARAMETER;
    if (!entry)
    {
        FIXME( "opening the default store's root is not supported.\n" );
        return MAPI_E_NO_SUPPORT;
    }
    if (entry_size < FIELD_OFFSET(ENTRYID, ab) + sizeof(MAPIUID)) return MAPI_E_INVALID_ENTRYID;

    if (status_entryid_parse( entry_size, entry, &row_key ))
    {
        if (!memcmp( &row_key, &subsystem_uid, sizeof(row_key) ))
        {
            FIXME( "the subsystem's status object is not implemented.\n" );
            return MAPI_E_NO_SUPPORT;
        }
        /* a provider's row: its logon opens the object (imslogon-openstatusentry.md) */
        if (!(logon = store_logon_from_status_row( &session->core->providers, &row_key )))
            return MAPI_E_UNKNOWN_ENTRYID;
        return IMSLogon_OpenStatusEntry( logon->logon, iid, flags, obj_type, (void **)unk );
    }

    /* R2.8: routed by the MAPIUID in the first bytes of ab */
    if (!(logon = store_logon_from_uid( &session->core->providers, (MAPIUID *)entry->ab )))
        return MAPI_E_UNKNOWN_ENTRYID;
    return IMSLogon_OpenEntry( logon->logon, entry_size, entry, iid, flags, obj_type, unk );
}

static HRESULT WINAPI session_CompareEntryIDs( IMAPISession *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                               ENTRYID *entry2, ULONG flags, ULONG *result )
{
    struct session *session = impl_from_IMAPISession( iface );
    struct store_logon *logon1, *logon2;

    TRACE( "%p, %lu, %p, %lu, %p, %#lx, %p.\n", iface, size1, entry1, size2, entry2, flags, result );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!entry1 || !entry2 || !result) return MAPI_E_INVALID_PARAMETER;
    if (size1 < FIELD_OFFSET(ENTRYID, ab) + sizeof(MAPIUID) || size2 < FIELD_OFFSET(ENTRYID, ab) + sizeof(MAPIUID))
        return MAPI_E_INVALID_ENTRYID;

    logon1 = store_logon_from_uid( &session->core->providers, (MAPIUID *)entry1->ab );
    logon2 = store_logon_from_uid( &session->core->providers, (MAPIUID *)entry2->ab );
    if (logon1 && logon1 == logon2)
        return IMSLogon_CompareEntryIDs( logon1->logon, size1, entry1, size2, entry2, 0, result );
    if (logon1 || logon2)
    {
        *result = FALSE;
        return S_OK;
    }
    return MAPI_E_UNKNOWN_ENTRYID;
}

static HRESULT WINAPI session_Advise( IMAPISession *iface, ULONG entry_size, ENTRYID *entry, ULONG event_mask,
                                      IMAPIAdviseSink *sink, ULONG *connection )
{
    struct session *session = impl_from_IMAPISession( iface );
    struct advise *advise;

    TRACE( "%p, %lu, %p, %#lx, %p, %p.\n", iface, entry_size, entry, event_mask, sink, connection );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!sink || !connection || !event_mask) return MAPI_E_INVALID_PARAMETER;
    if (entry)
    {
        FIXME( "advising on entries is not supported.\n" );
        return MAPI_E_NO_SUPPORT;
    }
    if (!(advise = calloc( 1, sizeof(*advise) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    advise->connection = ++session->next_connection;
    advise->event_mask = event_mask;
    advise->sink = sink;
    IMAPIAdviseSink_AddRef( sink );
    advise->next = session->advises;
    session->advises = advise;
    *connection = advise->connection;
    return S_OK;
}

static HRESULT WINAPI session_Unadvise( IMAPISession *iface, ULONG connection )
{
    struct session *session = impl_from_IMAPISession( iface );
    struct advise **entry, *advise;

    TRACE( "%p, %lu.\n", iface, connection );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!connection) return MAPI_E_INVALID_PARAMETER;
    for (entry = &session->advises; (advise = *entry); entry = &advise->next)
    {
        if (advise->connection != connection) continue;
        *entry = advise->next;
        IMAPIAdviseSink_Release( advise->sink );
        free( advise );
        return S_OK;
    }
    return MAPI_E_NOT_FOUND;
}

static HRESULT WINAPI session_MessageOptions( IMAPISession *iface, ULONG_PTR ui_param, ULONG flags,
                                              char *address_type, IMessage *message )
{
    struct session *session = impl_from_IMAPISession( iface );

    FIXME( "%p, %#Ix, %#lx, %s, %p: stub.\n", iface, ui_param, flags, debugstr_a(address_type), message );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI session_QueryDefaultMessageOpt( IMAPISession *iface, char *address_type, ULONG flags,
                                                      ULONG *count, SPropValue **options )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %s, %#lx, %p, %p.\n", iface, debugstr_a(address_type), flags, count, options );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!address_type || !count || !options) return MAPI_E_INVALID_PARAMETER;
    /* no transport registers message options */
    *count = 0;
    *options = NULL;
    return S_OK;
}

static HRESULT WINAPI session_EnumAdrTypes( IMAPISession *iface, ULONG flags, ULONG *count, char ***types )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %#lx, %p, %p.\n", iface, flags, count, types );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!count || !types) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    /* no transports, so no address types */
    *count = 0;
    return MAPIAllocateBuffer( sizeof(char *), (void **)types );
}

/* The PR_IDENTITY_ENTRYID of the status row with STATUS_PRIMARY_IDENTITY, or
 * else of the first row that has one. */
static BOOL find_identity( struct session_core *core, ULONG *size, ENTRYID **entry )
{
    SPropValue *props, *flags, *id;
    BOOL primary, found = FALSE;
    ULONG index = 0, i;
    SRow *row;

    while (SUCCEEDED(ITableData_HrEnumRow( core->status[1], index++, &row )) && row)
    {
        props = row->lpProps;
        flags = PpropFindProp( props, row->cValues, PR_RESOURCE_FLAGS );
        id = PpropFindProp( props, row->cValues, PR_IDENTITY_ENTRYID );
        primary = flags && (flags->Value.l & STATUS_PRIMARY_IDENTITY);
        if (id && (primary || !found))
        {
            if (found) MAPIFreeBuffer( *entry );
            found = !MAPIAllocateBuffer( id->Value.bin.cb, (void **)entry );
            if (found)
            {
                memcpy( *entry, id->Value.bin.lpb, id->Value.bin.cb );
                *size = id->Value.bin.cb;
            }
        }
        i = primary && id;
        MAPIFreeBuffer( row );
        if (i) break;
    }
    return found;
}

static HRESULT WINAPI session_QueryIdentity( IMAPISession *iface, ULONG *entry_size, ENTRYID **entry )
{
    struct session *session = impl_from_IMAPISession( iface );
    HRESULT hr;

    TRACE( "%p, %p, %p.\n", iface, entry_size, entry );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!entry_size || !entry) return MAPI_E_INVALID_PARAMETER;
    if (find_identity( session->core, entry_size, entry )) return S_OK;

    /* no identity anywhere: a fixed entry ID and a warning */
    if ((hr = MAPIAllocateBuffer( FIELD_OFFSET(ENTRYID, ab) + sizeof(no_identity_uid), (void **)entry ))) return hr;
    memset( *entry, 0, FIELD_OFFSET(ENTRYID, ab) );
    memcpy( (*entry)->ab, &no_identity_uid, sizeof(no_identity_uid) );
    *entry_size = FIELD_OFFSET(ENTRYID, ab) + sizeof(no_identity_uid);
    return MAPI_W_NO_SERVICE;
}

static HRESULT WINAPI session_Logoff( IMAPISession *iface, ULONG_PTR ui_param, ULONG flags, ULONG reserved )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %#Ix, %#lx, %#lx.\n", iface, ui_param, flags, reserved );

    /* Q4: a repeated Logoff succeeds and does nothing */
    if (session->logged_off) return S_OK;
    if (flags & ~(MAPI_LOGOFF_SHARED | MAPI_LOGOFF_UI)) return MAPI_E_UNKNOWN_FLAGS;
    if (reserved) return MAPI_E_INVALID_PARAMETER;
    /* R6.3; R6.9: the other clients keep the session until they log off */
    if ((flags & MAPI_LOGOFF_SHARED) && session->core->shared) session_notify_end( session );
    session_logoff( session );
    return S_OK;
}

static HRESULT WINAPI session_SetDefaultStore( IMAPISession *iface, ULONG flags, ULONG entry_size, ENTRYID *entry )
{
    struct session *session = impl_from_IMAPISession( iface );
    struct session_core *core;
    struct profile_provider found, *providers;
    struct temp_flags *temp;
    unsigned int count, i;
    ULONG bit, value, inner_size;
    ENTRYID *inner;
    char *dll_name;
    HRESULT hr;

    TRACE( "%p, %#lx, %lu, %p.\n", iface, flags, entry_size, entry );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    core = session->core;
    switch (flags)
    {
    case MAPI_DEFAULT_STORE: bit = STATUS_DEFAULT_STORE; break;
    case MAPI_SIMPLE_STORE_TEMPORARY:
    case MAPI_SIMPLE_STORE_PERMANENT: bit = STATUS_SIMPLE_STORE; break;
    case MAPI_PRIMARY_STORE: bit = STATUS_PRIMARY_STORE; break;
    case MAPI_SECONDARY_STORE: bit = STATUS_SECONDARY_STORE; break;
    default: return MAPI_E_UNKNOWN_FLAGS;
    }
    memset( &found, 0, sizeof(found) );
    if (entry)
    {
        if (FAILED(unwrap_store_entryid( entry_size, entry, &dll_name, &inner_size, &inner )))
            return MAPI_E_INVALID_ENTRYID;
        if (!find_store_provider( core, entry_size, entry, &found )) return MAPI_E_NOT_FOUND;
        free( found.dll_name );
    }
    if (!core->profile) return S_OK;

    if (flags == MAPI_SIMPLE_STORE_TEMPORARY)
    {
        /* only this session's tables change */
        while ((temp = core->temp_simple))
        {
            core->temp_simple = temp->next;
            free( temp );
        }
        if (entry && (temp = calloc( 1, sizeof(*temp) )))
        {
            temp->section = found.uid;
            core->temp_simple = temp;
        }
        return core_update_store_rows( core, NULL );
    }

    /* the flag moves to this store: one store of the profile has it at most */
    if (FAILED(hr = profile_enum_providers( core->profile, MAPI_STORE_PROVIDER, &providers, &count ))) return hr;
    for (i = 0; i < count && SUCCEEDED(hr); i++)
    {
        value = section_long( core->profile, &providers[i].uid, PR_RESOURCE_FLAGS );
        if (entry && !memcmp( &providers[i].uid, &found.uid, sizeof(found.uid) )) value |= bit;
        else value &= ~bit;
        if (value != providers[i].resource_flags)
            hr = profile_section_write( core->profile, &providers[i].uid, PR_RESOURCE_FLAGS, &value, sizeof(value) );
    }
    profile_free_providers( providers, count );
    if (SUCCEEDED(hr)) hr = core_update_store_rows( core, NULL );
    return hr;
}

static HRESULT WINAPI session_AdminServices( IMAPISession *iface, ULONG flags, IMsgServiceAdmin **admin )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, admin );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!admin) return MAPI_E_INVALID_PARAMETER;
    if (!session->core->profile) return MAPI_E_NOT_FOUND;
    return msgsvc_admin_create( session->liveness, session->core->profile, admin );
}

static HRESULT WINAPI session_ShowForm( IMAPISession *iface, ULONG_PTR ui_param, IMsgStore *store,
                                        IMAPIFolder *parent, const IID *iid, ULONG token, IMessage *sent,
                                        ULONG flags, ULONG status, ULONG message_flags, ULONG access,
                                        char *message_class )
{
    struct session *session = impl_from_IMAPISession( iface );

    FIXME( "%p: stub.\n", iface );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI session_PrepareForm( IMAPISession *iface, const IID *iid, IMessage *message, ULONG *token )
{
    struct session *session = impl_from_IMAPISession( iface );

    FIXME( "%p: stub.\n", iface );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static const IMAPISessionVtbl session_vtbl =
{
    session_QueryInterface,
    session_AddRef,
    session_Release,
    session_GetLastError,
    session_GetMsgStoresTable,
    session_OpenMsgStore,
    session_OpenAddressBook,
    session_OpenProfileSection,
    session_GetStatusTable,
    session_OpenEntry,
    session_CompareEntryIDs,
    session_Advise,
    session_Unadvise,
    session_MessageOptions,
    session_QueryDefaultMessageOpt,
    session_EnumAdrTypes,
    session_QueryIdentity,
    session_Logoff,
    session_SetDefaultStore,
    session_AdminServices,
    session_ShowForm,
    session_PrepareForm,
};

/* Scenario (d): the final MAPIUninitialize logs off whatever is left. */
static void sessions_uninitialize(void)
{
    struct session *session;

    for (;;)
    {
        EnterCriticalSection( &sessions_cs );
        for (session = sessions; session; session = session->next)
            if (!session->logged_off) break;
        if (session) IMAPISession_AddRef( &session->IMAPISession_iface );
        LeaveCriticalSection( &sessions_cs );
        if (!session) break;

        TRACE( "logging off session %p.\n", session );
        session_logoff( session );
        IMAPISession_Release( &session->IMAPISession_iface );
    }
    provider_modules_unload();
    profile_cache_free();
}

/* A new client of core, which it now holds one user of. */
static HRESULT session_create( struct session_core *core, ULONG flags, IMAPISession **out )
{
    struct session *session;

    if (!(session = calloc( 1, sizeof(*session) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(session->liveness = liveness_create()))
    {
        free( session );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    session->IMAPISession_iface.lpVtbl = &session_vtbl;
    session->refcount = 1;
    session->flags = flags;
    session->core = core;

    mapix_add_uninitialize_hook( sessions_uninitialize );
    EnterCriticalSection( &sessions_cs );
    session->next = sessions;
    sessions = session;
    LeaveCriticalSection( &sessions_cs );

    TRACE( "created session %p, core %p.\n", session, core );
    *out = &session->IMAPISession_iface;
    return S_OK;
}

static HRESULT session_create_new( const WCHAR *profile, ULONG flags, IMAPISession **out )
{
    struct session_core *core;
    HRESULT hr;

    if (FAILED(hr = core_create( profile, !!(flags & MAPI_ALLOW_OTHERS), &core ))) return hr;
    if (FAILED(hr = session_create( core, flags, out )))
    {
        core_free( core );
        return hr;
    }
    if (core->shared)
    {
        EnterCriticalSection( &sessions_cs );
        /* the newest shared session is the one later logons join */
        shared_core = core;
        LeaveCriticalSection( &sessions_cs );
    }
    return S_OK;
}

static HRESULT session_join_shared( ULONG flags, IMAPISession **out )
{
    struct session_core *core;
    HRESULT hr;

    EnterCriticalSection( &sessions_cs );
    if ((core = shared_core)) core->users++;
    LeaveCriticalSection( &sessions_cs );
    if (!core) return MAPI_E_NOT_FOUND;
    TRACE( "joining shared session core %p.\n", core );
    if (FAILED(hr = session_create( core, flags, out ))) core_release_user( core );
    return hr;
}

static BOOL any_profile_exists( IProfAdmin *admin )
{
    IMAPITable *table;
    ULONG count = 0;

    if (FAILED(IProfAdmin_GetProfileTable( admin, 0, &table ))) return TRUE;
    if (FAILED(IMAPITable_GetRowCount( table, 0, &count ))) count = 1;
    IMAPITable_Release( table );
    return count != 0;
}

/*
 * With no profile at all, MAPILogonEx makes DEFAULT_PROFILE_NAME, the
 * default profile, holding the Personal Folders service with its file at
 * %LOCALAPPDATA%\Microsoft\Outlook\Outlook.pst.  PR_PST_PATH_W goes to the
 * service's sections directly as well as through ConfigureMsgService, so
 * that a service without an entry point has it too.
 */
static HRESULT create_default_profile( WCHAR **name )
{
    WCHAR path[MAX_PATH], *p;
    struct profile_provider *providers;
    IMsgServiceAdmin *services;
    unsigned int count, i;
    IProfAdmin *admin;
    SPropValue prop;
    DWORD len;
    HRESULT hr;

    if (FAILED(hr = MAPIAdminProfiles( 0, &admin ))) return hr;
    if (any_profile_exists( admin ))
    {
        IProfAdmin_Release( admin );
        return MAPI_E_NOT_FOUND;
    }

    len = GetEnvironmentVariableW( L"LOCALAPPDATA", path, MAX_PATH );
    if (!len || len + 30 > MAX_PATH)
    {
        IProfAdmin_Release( admin );
        return MAPI_E_CALL_FAILED;
    }
    lstrcatW( path, L"\\Microsoft\\Outlook\\Outlook.pst" );
    /* the provider creates the file, but not its directories */
    for (p = wcschr( path + 3, '\\' ); p; p = wcschr( p + 1, '\\' ))
    {
        *p = 0;
        CreateDirectoryW( path, NULL );
        *p = '\\';
    }
    TRACE( "creating profile %s with %s.\n", debugstr_w(DEFAULT_PROFILE_NAME), debugstr_w(path) );

    hr = IProfAdmin_CreateProfile( admin, (WCHAR *)DEFAULT_PROFILE_NAME, NULL, 0, MAPI_UNICODE );
    if (SUCCEEDED(hr)) hr = IProfAdmin_SetDefaultProfile( admin, (WCHAR *)DEFAULT_PROFILE_NAME, MAPI_UNICODE );
    if (SUCCEEDED(hr)) hr = msgsvc_admin_create( NULL, DEFAULT_PROFILE_NAME, &services );
    if (SUCCEEDED(hr))
    {
        hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)DEFAULT_PST_SERVICE, NULL, 0, MAPI_UNICODE );
        if (SUCCEEDED(hr) && SUCCEEDED(hr = profile_enum_providers( DEFAULT_PROFILE_NAME, 0, &providers, &count )))
        {
            prop.ulPropTag = PR_PST_PATH_W;
            prop.Value.lpszW = path;
            for (i = 0; i < count && SUCCEEDED(hr); i++)
            {
                hr = profile_section_write( DEFAULT_PROFILE_NAME, &providers[i].uid, PR_PST_PATH_W, path,
                                            (lstrlenW( path ) + 1) * sizeof(WCHAR) );
                if (SUCCEEDED(hr))
                    hr = profile_section_write( DEFAULT_PROFILE_NAME, &providers[i].service_uid, PR_PST_PATH_W,
                                                path, (lstrlenW( path ) + 1) * sizeof(WCHAR) );
                if (SUCCEEDED(hr) && (!i || memcmp( &providers[i].service_uid, &providers[i - 1].service_uid,
                                                    sizeof(MAPIUID) )))
                    hr = IMsgServiceAdmin_ConfigureMsgService( services, &providers[i].service_uid, 0,
                                                               MAPI_UNICODE, 1, &prop );
            }
            profile_free_providers( providers, count );
        }
        IMsgServiceAdmin_Release( services );
    }
    if (FAILED(hr))
    {
        WARN( "cannot create the default profile, hr %#lx.\n", hr );
        IProfAdmin_DeleteProfile( admin, (WCHAR *)DEFAULT_PROFILE_NAME, MAPI_UNICODE );
    }
    IProfAdmin_Release( admin );
    if (FAILED(hr)) return hr;
    if (!(*name = wcsdup( DEFAULT_PROFILE_NAME ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    return S_OK;
}

/***********************************************************************
 *              MAPILogonEx (winemapix.@)
 *
 * Without MAPI_NEW_SESSION a logon joins the process's shared session (one
 * made with MAPI_ALLOW_OTHERS) if there is one.  There is no logon or
 * password UI: MAPI_LOGON_UI and MAPI_PASSWORD_UI are accepted, and the
 * logon fails with MAPI_E_LOGON_FAILED where it would need to ask.  With
 * neither a profile name nor a default profile, and no profile at all, the
 * default profile is created (see create_default_profile).
 */
HRESULT WINAPI MAPILogonEx( ULONG_PTR ui_param, WCHAR *profile, WCHAR *password, ULONG flags,
                            IMAPISession **session )
{
    static const ULONG valid_flags = MAPI_LOGON_UI | MAPI_NEW_SESSION | MAPI_APP_PROFILE | MAPI_ALLOW_OTHERS
            | MAPI_EXPLICIT_PROFILE | MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_FORCE_DOWNLOAD
            | MAPI_SERVICE_UI_ALWAYS | MAPI_NO_MAIL | MAPI_NT_SERVICE | MAPI_PASSWORD_UI | MAPI_TIMEOUT_SHORT
            | MAPI_BG_SESSION | MAPI_UNICODE;
    WCHAR *name = NULL;
    BOOL named;
    HRESULT hr;
    int len;

    TRACE( "%#Ix, %p, %p, %#lx, %p.\n", ui_param, profile, password, flags, session );

    if (!session) return MAPI_E_INVALID_PARAMETER;
    *session = NULL;
    if (!mapix_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    if (flags & ~valid_flags) return MAPI_E_UNKNOWN_FLAGS;

    named = profile && ((flags & MAPI_UNICODE) ? profile[0] : ((char *)profile)[0]);
    if (!(flags & MAPI_NEW_SESSION) && !named && SUCCEEDED(session_join_shared( flags, session ))) return S_OK;

    if (named)
    {
        if (flags & MAPI_UNICODE) name = wcsdup( profile );
        else if ((len = MultiByteToWideChar( CP_ACP, 0, (char *)profile, -1, NULL, 0 ))
                 && (name = malloc( len * sizeof(WCHAR) )))
            MultiByteToWideChar( CP_ACP, 0, (char *)profile, -1, name, len );
        if (!name) return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    else if (FAILED(profile_get_default( &name )))
    {
        name = NULL;
        /* no profile to pick from: the one a first start of Outlook would make */
        if (FAILED(create_default_profile( &name ))) name = NULL;
    }

    if (!name)
    {
        /* choosing a profile needs UI Wine does not have */
        if (flags & MAPI_LOGON_UI) FIXME( "profile selection UI is not implemented.\n" );
        return MAPI_E_LOGON_FAILED;
    }
    TRACE( "profile %s.\n", debugstr_w(name) );

    /* the logon reads one view of the profile (profile.c) */
    profile_cache_pin();
    if (FAILED(profile_check( name )))
    {
        WARN( "no profile %s.\n", debugstr_w(name) );
        profile_cache_unpin();
        free( name );
        return MAPI_E_LOGON_FAILED;
    }

    hr = session_create_new( name, flags, session );
    profile_cache_unpin();
    free( name );
    return hr;
}

/***********************************************************************
 *              MAPIXTestCreateSession (winemapix.@)
 *
 * TEST SEAM, private export: a session bound to no profile, so that the
 * teardown tests can open stores through wrapped entry IDs alone.
 */
HRESULT WINAPI MAPIXTestCreateSession( ULONG flags, IMAPISession **session )
{
    TRACE( "%#lx, %p.\n", flags, session );

    if (!session) return MAPI_E_INVALID_PARAMETER;
    *session = NULL;
    if (!mapix_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    return session_create_new( NULL, flags, session );
}
