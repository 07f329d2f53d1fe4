/*
 * winepst: MSProviderInit and the IMSProvider object
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

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

/* First 16 bytes of our (unwrapped) store entry IDs */
const MAPIUID winepst_provider_uid =
    {{ 0x9d, 0x4a, 0x1c, 0x57, 0x3e, 0x61, 0x4b, 0x8a, 0xa0, 0x3c, 0x57, 0x49, 0x4e, 0x45, 0x50, 0x53 }};

static inline struct provider *impl_from_IMSProvider( IMSProvider *iface )
{
    return CONTAINING_RECORD( iface, struct provider, IMSProvider_iface );
}

static HRESULT WINAPI provider_QueryInterface( IMSProvider *iface, REFIID riid, void **out )
{
    struct provider *provider = impl_from_IMSProvider( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_IMSProvider ))
        *out = &provider->IMSProvider_iface;
    else
    {
        WARN( "Unsupported %s.\n", debugstr_guid(riid) );
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef( (IUnknown *)*out );
    return S_OK;
}

static ULONG WINAPI provider_AddRef( IMSProvider *iface )
{
    struct provider *provider = impl_from_IMSProvider( iface );
    ULONG refcount = InterlockedIncrement( &provider->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

/* Tears down every store still open; it is what Shutdown and a Release
 * without Shutdown (R7.5) have in common. */
static void provider_close_all( struct provider *provider )
{
    struct store_logon *logon;

    for (;;)
    {
        EnterCriticalSection( &provider->cs );
        if (list_empty( &provider->logons ))
        {
            LeaveCriticalSection( &provider->cs );
            break;
        }
        logon = LIST_ENTRY( list_head( &provider->logons ), struct store_logon, entry );
        store_logon_addref_internal( logon );
        LeaveCriticalSection( &provider->cs );

        /* unlinks the logon from our list */
        store_logon_invalidate( logon );
        store_logon_release_internal( logon );
    }
}

static ULONG WINAPI provider_Release( IMSProvider *iface )
{
    struct provider *provider = impl_from_IMSProvider( iface );
    ULONG refcount = InterlockedDecrement( &provider->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        provider_close_all( provider );
        if (provider->malloc) IMalloc_Release( provider->malloc );
        provider->cs.DebugInfo->Spare[0] = 0;
        DeleteCriticalSection( &provider->cs );
        free( provider );
        InterlockedDecrement( &pst_object_count );
    }
    return refcount;
}

static HRESULT WINAPI provider_Shutdown( IMSProvider *iface, ULONG *flags )
{
    struct provider *provider = impl_from_IMSProvider( iface );
    IMalloc *malloc;

    TRACE( "%p, %p.\n", iface, flags );

    /* the argument is reserved; Shutdown refuses nothing and may come twice */
    provider_close_all( provider );
    EnterCriticalSection( &provider->cs );
    provider->shut_down = TRUE;
    malloc = provider->malloc;
    provider->malloc = NULL;
    LeaveCriticalSection( &provider->cs );
    if (malloc) IMalloc_Release( malloc );
    return S_OK;
}

/* The PST path: from the entry ID when MAPI passes one, else from our
 * profile section, where the service entry point stored it. */
static HRESULT logon_path( struct provider *provider, IMAPISupport *support, ULONG entry_size, ENTRYID *entry,
                           WCHAR **path )
{
    static const SizedSPropTagArray(2, tags) = { 2, { PR_PST_PATH_W, PR_PST_PATH } };
    const WCHAR *entry_path;
    IProfSect *section;
    SPropValue *props;
    BYTE uid[16];
    ULONG count;
    HRESULT hr;

    *path = NULL;
    if (entry)
    {
        if (FAILED(hr = store_entryid_parse( entry_size, entry, uid, &entry_path ))) return hr;
        return (*path = wcsdup( entry_path )) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    }

    if (FAILED(hr = IMAPISupport_OpenProfileSection( support, NULL, 0, &section ))) return hr;
    hr = IProfSect_GetProps( section, (SPropTagArray *)&tags, 0, &count, &props );
    IProfSect_Release( section );
    if (FAILED(hr)) return hr;

    hr = MAPI_E_UNCONFIGURED;
    if (props[0].ulPropTag == PR_PST_PATH_W && props[0].Value.lpszW[0])
        *path = wcsdup( props[0].Value.lpszW );
    else if (props[1].ulPropTag == PR_PST_PATH && props[1].Value.lpszA[0])
        *path = strdup_a_to_w( props[1].Value.lpszA );
    else
    {
        provider->alloc.free_buffer( props );
        return hr;
    }
    provider->alloc.free_buffer( props );
    return *path ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

/* What Logon tells MAPI's profile about a store it opened (R2.4, R2.7) */
static void logon_update_profile( struct store_logon *logon )
{
    SPropValue props[4];
    IProfSect *section;
    ENTRYID *entry = NULL, *wrapped = NULL;
    ULONG entry_size, wrapped_size;

    if (logon->logon_flags & MDB_TEMPORARY) return;
    if (FAILED(IMAPISupport_OpenProfileSection( logon->support, NULL, MAPI_MODIFY, &section ))) return;
    if (SUCCEEDED(store_entryid_build( logon, &logon->alloc, NULL, &entry_size, &entry ))
            && SUCCEEDED(IMAPISupport_WrapStoreEntryID( logon->support, entry_size, entry, &wrapped_size, &wrapped )))
    {
        props[0].ulPropTag = PR_ENTRYID;
        props[0].Value.bin.cb = wrapped_size;
        props[0].Value.bin.lpb = (BYTE *)wrapped;
        props[1].ulPropTag = PR_RECORD_KEY;
        props[1].Value.bin.cb = sizeof(logon->uid);
        props[1].Value.bin.lpb = logon->uid;
        props[2].ulPropTag = PR_DISPLAY_NAME_W;
        props[2].Value.lpszW = logon->display_name;
        props[3].ulPropTag = PR_MDB_PROVIDER;
        props[3].Value.bin.cb = sizeof(winepst_provider_uid);
        props[3].Value.bin.lpb = (BYTE *)&winepst_provider_uid;
        if (SUCCEEDED(IProfSect_SetProps( section, ARRAY_SIZE(props), props, NULL )))
            IProfSect_SaveChanges( section, KEEP_OPEN_READWRITE );
    }
    if (wrapped) logon->alloc.free_buffer( wrapped );
    if (entry) logon->alloc.free_buffer( entry );
    IProfSect_Release( section );
}

#define LOGON_FLAGS (MDB_NO_DIALOG | MDB_WRITE | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS | MDB_TEMPORARY \
                     | MDB_NO_MAIL | MDB_ONLINE | MAPI_UNICODE)

static HRESULT provider_logon( struct provider *provider, IMAPISupport *support, ULONG entry_size, ENTRYID *entry,
                               ULONG flags, const IID *iid, MAPIERROR **error, IMSLogon **logon_out,
                               IMsgStore **store_out )
{
    struct store_logon *logon;
    WCHAR *path;
    HRESULT hr;

    if (!support || !logon_out || !store_out || (entry_size && !entry)) return MAPI_E_INVALID_PARAMETER;
    if (error) *error = NULL;
    *logon_out = NULL;
    *store_out = NULL;
    if (flags & ~LOGON_FLAGS) return MAPI_E_UNKNOWN_FLAGS;
    if (iid && !IsEqualGUID( iid, &IID_IMsgStore ) && !IsEqualGUID( iid, &IID_IMAPIProp )
            && !IsEqualGUID( iid, &IID_IUnknown ))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (provider->shut_down) return MAPI_E_INVALID_OBJECT;

    if (FAILED(hr = logon_path( provider, support, entry_size, entry, &path ))) return hr;

    /* the same store opened again in this session: hand out the open one,
     * with no new logon for MAPI (R2.9) */
    if ((logon = provider_find_open_store( provider, path )))
    {
        TRACE( "%s is open already, piggybacking on %p.\n", debugstr_w(path), logon );
        free( path );
        *store_out = &logon->store->IMsgStore_iface;
        /* provider_find_open_store took a reference on the store for us */
        store_logon_release_internal( logon );
        return S_OK;
    }

    hr = store_logon_create( provider, support, path, flags, &logon );
    if (FAILED(hr))
    {
        if (error) mapi_error_create( &provider->alloc, hr, flags, path, error );
        free( path );
        return hr;
    }
    free( path );

    IMAPISupport_SetProviderUID( support, (MAPIUID *)logon->uid, 0 );
    logon_update_profile( logon );
    status_row_add( logon );
    *logon_out = &logon->IMSLogon_iface;
    *store_out = &logon->store->IMsgStore_iface;
    return S_OK;
}

static HRESULT WINAPI provider_Logon( IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
                                      LPWSTR profile_name, ULONG entry_size, ENTRYID *entry, ULONG flags,
                                      const IID *iid, ULONG *security_size, BYTE **security,
                                      MAPIERROR **error, IMSLogon **logon, IMsgStore **store )
{
    struct provider *provider = impl_from_IMSProvider( iface );

    TRACE( "%p, %p, %#Ix, %p, %lu, %p, %#lx, %s, %p, %p, %p, %p, %p.\n", iface, support, ui_param,
           profile_name, entry_size, entry, flags, debugstr_guid(iid), security_size, security, error,
           logon, store );

    if (!security_size || !security) return MAPI_E_INVALID_PARAMETER;
    /* the profile section is all the spooler would need (R2.5) */
    *security_size = 0;
    *security = NULL;
    return provider_logon( provider, support, entry_size, entry, flags, iid, error, logon, store );
}

static HRESULT WINAPI provider_SpoolerLogon( IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
                                             LPWSTR profile_name, ULONG entry_size, ENTRYID *entry,
                                             ULONG flags, const IID *iid, ULONG security_size, BYTE *security,
                                             MAPIERROR **error, IMSLogon **logon, IMsgStore **store )
{
    struct provider *provider = impl_from_IMSProvider( iface );

    TRACE( "%p, %p, %#Ix, %p, %lu, %p, %#lx, %s, %lu, %p, %p, %p, %p.\n", iface, support, ui_param,
           profile_name, entry_size, entry, flags, debugstr_guid(iid), security_size, security, error,
           logon, store );

    if (flags & ~(MDB_NO_DIALOG | MDB_WRITE | MAPI_DEFERRED_ERRORS | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    /* Without a spooler process nothing distinguishes the spooler's view of
     * a store: it shares an open store or opens its own, like Logon (Q7). */
    return provider_logon( provider, support, entry_size, entry, flags, iid, error, logon, store );
}

static HRESULT WINAPI provider_CompareStoreIDs( IMSProvider *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                                ENTRYID *entry2, ULONG flags, ULONG *result )
{
    const WCHAR *path1, *path2;
    BYTE uid1[16], uid2[16];
    HRESULT hr;

    TRACE( "%p, %lu, %p, %lu, %p, %#lx, %p.\n", iface, size1, entry1, size2, entry2, flags, result );

    if (!result) return MAPI_E_INVALID_PARAMETER;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = store_entryid_parse( size1, entry1, uid1, &path1 ))) return hr;
    if (FAILED(hr = store_entryid_parse( size2, entry2, uid2, &path2 ))) return hr;
    *result = !memcmp( uid1, uid2, sizeof(uid1) ) && !wcsicmp( path1, path2 );
    return S_OK;
}

static const IMSProviderVtbl provider_vtbl =
{
    provider_QueryInterface,
    provider_AddRef,
    provider_Release,
    provider_Shutdown,
    provider_Logon,
    provider_SpoolerLogon,
    provider_CompareStoreIDs,
};

/***********************************************************************
 *              MSProviderInit (winepst.@)
 *
 * Called by MAPI once per session that opens one of our stores; every call
 * gets a provider object of its own (R1.10).
 */
HRESULT __cdecl MSProviderInit( HINSTANCE instance, IMalloc *malloc, LPALLOCATEBUFFER allocate_buffer,
                                LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG flags,
                                ULONG mapi_version, ULONG *provider_version, IMSProvider **out )
{
    struct provider *provider;

    TRACE( "%p, %p, %p, %p, %p, %#lx, %#lx, %p, %p.\n", instance, malloc, allocate_buffer, allocate_more,
           free_buffer, flags, mapi_version, provider_version, out );

    if (!allocate_buffer || !allocate_more || !free_buffer || !provider_version || !out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    /* both sides learn the other's version; we need MAPI's SPI to be ours */
    *provider_version = CURRENT_SPI_VERSION;
    if (mapi_version < CURRENT_SPI_VERSION) return MAPI_E_VERSION;
    if (flags & ~MAPI_NT_SERVICE) return MAPI_E_UNKNOWN_FLAGS;

    if (!(provider = calloc( 1, sizeof(*provider) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IMSProvider_iface.lpVtbl = &provider_vtbl;
    provider->refcount = 1;
    provider->alloc.allocate_buffer = allocate_buffer;
    provider->alloc.allocate_more = allocate_more;
    provider->alloc.free_buffer = free_buffer;
    if ((provider->malloc = malloc)) IMalloc_AddRef( malloc );
    list_init( &provider->logons );
    InitializeCriticalSection( &provider->cs );
    provider->cs.DebugInfo->Spare[0] = (DWORD_PTR)(__FILE__ ": provider.cs");
    InterlockedIncrement( &pst_object_count );

    TRACE( "created provider %p.\n", provider );
    *out = &provider->IMSProvider_iface;
    return S_OK;
}
