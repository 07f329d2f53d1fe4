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

#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* OpenMsgStore flags (mapidefs.h values Wine's header lacks) */
#ifndef MDB_WRITE
#define MDB_WRITE               0x00000004
#endif
#ifndef MAPI_DEFERRED_ERRORS
#define MAPI_DEFERRED_ERRORS    0x00000008
#endif
#ifndef MDB_TEMPORARY
#define MDB_TEMPORARY           0x00000020
#endif
#ifndef MDB_NO_MAIL
#define MDB_NO_MAIL             0x00000080
#endif
/* IMAPISession::Logoff */
#ifndef MAPI_LOGOFF_SHARED
#define MAPI_LOGOFF_SHARED      0x00000001
#define MAPI_LOGOFF_UI          0x00000002
#endif
#ifndef MAPI_APP_PROFILE
#define MAPI_APP_PROFILE        0x00000004
#endif
#ifndef MAPI_BG_SESSION
#define MAPI_BG_SESSION         0x00200000
#endif

struct advise
{
    struct advise *next;
    ULONG connection;
    ULONG event_mask;
    IMAPIAdviseSink *sink;
};

struct session
{
    IMAPISession IMAPISession_iface;
    LONG refcount;
    struct session *next;
    BOOL logged_off;
    ULONG flags;
    WCHAR *profile;
    struct store_provider *providers;
    struct advise *advises;
    ULONG next_connection;
};

static struct session *sessions;
static CRITICAL_SECTION sessions_cs;
static CRITICAL_SECTION_DEBUG sessions_cs_debug =
{
    0, 0, &sessions_cs,
    { &sessions_cs_debug.ProcessLocksList, &sessions_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": sessions_cs") }
};
static CRITICAL_SECTION sessions_cs = { &sessions_cs_debug, -1, 0, 0, 0, 0 };

static inline struct session *impl_from_IMAPISession( IMAPISession *iface )
{
    return CONTAINING_RECORD( iface, struct session, IMAPISession_iface );
}

/* Sequence (c) of §10; also the implicit logoff of Q6 and scenario (d). */
static void session_logoff( struct session *session )
{
    struct advise *advise;

    if (session->logged_off) return;
    session->logged_off = TRUE;

    /* Q5: stores first; there are no address book or transport providers yet */
    store_providers_shutdown( &session->providers );

    while ((advise = session->advises))
    {
        session->advises = advise->next;
        IMAPIAdviseSink_Release( advise->sink );
        free( advise );
    }
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
        free( session->profile );
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

    FIXME( "%p, %#lx, %p: stub.\n", iface, flags, table );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI session_OpenMsgStore( IMAPISession *iface, ULONG_PTR ui_param, ULONG entry_size,
                                            ENTRYID *entry, const IID *iid, ULONG flags, IMsgStore **store )
{
    static const ULONG valid_flags = MDB_NO_DIALOG | MDB_WRITE | MAPI_DEFERRED_ERRORS | MAPI_BEST_ACCESS
                                     | MDB_TEMPORARY | MDB_NO_MAIL | MDB_ONLINE | MAPI_UNICODE;
    struct session *session = impl_from_IMAPISession( iface );
    struct store_provider *provider;
    ULONG inner_size;
    ENTRYID *inner;
    char *dll_name;
    HRESULT hr;

    TRACE( "%p, %#Ix, %lu, %p, %s, %#lx, %p.\n", iface, ui_param, entry_size, entry, debugstr_guid(iid),
           flags, store );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!entry || !store) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~valid_flags) return MAPI_E_UNKNOWN_FLAGS;
    *store = NULL;

    /* the wrapped ID names the provider DLL (R2.7) */
    if (FAILED(hr = unwrap_store_entryid( entry_size, entry, &dll_name, &inner_size, &inner ))) return hr;
    if (FAILED(hr = store_provider_open( &session->providers, dll_name, &provider ))) return hr;
    return store_provider_logon( &session->providers, provider, session->profile ? session->profile : L"",
                                 ui_param, inner_size, inner, flags, iid, store );
}

static HRESULT WINAPI session_OpenAddressBook( IMAPISession *iface, ULONG_PTR ui_param, const IID *iid,
                                               ULONG flags, IAddrBook **address_book )
{
    struct session *session = impl_from_IMAPISession( iface );

    FIXME( "%p, %#Ix, %s, %#lx, %p: no address book yet.\n", iface, ui_param, debugstr_guid(iid), flags,
           address_book );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!address_book) return MAPI_E_INVALID_PARAMETER;
    *address_book = NULL;
    return MAPI_E_NO_SUPPORT;
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
    if (!session->profile) return MAPI_E_NOT_FOUND;
    return profsect_create( session->profile, uid, flags, section );
}

static HRESULT WINAPI session_GetStatusTable( IMAPISession *iface, ULONG flags, IMAPITable **table )
{
    struct session *session = impl_from_IMAPISession( iface );

    FIXME( "%p, %#lx, %p: stub.\n", iface, flags, table );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI session_OpenEntry( IMAPISession *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                         ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    struct session *session = impl_from_IMAPISession( iface );
    struct store_logon *logon;

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

    /* R2.8: routed by the MAPIUID in the first bytes of ab */
    if (!(logon = store_logon_from_uid( &session->providers, (MAPIUID *)entry->ab )))
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

    logon1 = store_logon_from_uid( &session->providers, (MAPIUID *)entry1->ab );
    logon2 = store_logon_from_uid( &session->providers, (MAPIUID *)entry2->ab );
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

static HRESULT WINAPI session_QueryIdentity( IMAPISession *iface, ULONG *entry_size, ENTRYID **entry )
{
    struct session *session = impl_from_IMAPISession( iface );

    FIXME( "%p, %p, %p: no provider supplies an identity yet.\n", iface, entry_size, entry );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!entry_size || !entry) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NOT_FOUND;
}

static HRESULT WINAPI session_Logoff( IMAPISession *iface, ULONG_PTR ui_param, ULONG flags, ULONG reserved )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %#Ix, %#lx, %#lx.\n", iface, ui_param, flags, reserved );

    /* Q4: a repeated Logoff succeeds and does nothing */
    if (session->logged_off) return S_OK;
    if (flags & ~(MAPI_LOGOFF_SHARED | MAPI_LOGOFF_UI)) return MAPI_E_UNKNOWN_FLAGS;
    if (reserved) return MAPI_E_INVALID_PARAMETER;
    session_logoff( session );
    return S_OK;
}

static HRESULT WINAPI session_SetDefaultStore( IMAPISession *iface, ULONG flags, ULONG entry_size, ENTRYID *entry )
{
    struct session *session = impl_from_IMAPISession( iface );

    FIXME( "%p, %#lx, %lu, %p: stub.\n", iface, flags, entry_size, entry );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI session_AdminServices( IMAPISession *iface, ULONG flags, IMsgServiceAdmin **admin )
{
    struct session *session = impl_from_IMAPISession( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, admin );

    if (session->logged_off) return MAPI_E_INVALID_OBJECT;
    if (!admin) return MAPI_E_INVALID_PARAMETER;
    if (!session->profile) return MAPI_E_NOT_FOUND;
    return msgsvc_admin_create( session->profile, admin );
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
}

static HRESULT session_create( const WCHAR *profile, ULONG flags, IMAPISession **out )
{
    struct session *session;

    if (!(session = calloc( 1, sizeof(*session) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (profile && !(session->profile = wcsdup( profile )))
    {
        free( session );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    session->IMAPISession_iface.lpVtbl = &session_vtbl;
    session->refcount = 1;
    session->flags = flags;

    mapix_add_uninitialize_hook( sessions_uninitialize );
    EnterCriticalSection( &sessions_cs );
    session->next = sessions;
    sessions = session;
    LeaveCriticalSection( &sessions_cs );

    TRACE( "created session %p.\n", session );
    *out = &session->IMAPISession_iface;
    return S_OK;
}

/***********************************************************************
 *              MAPILogonEx (winemapix.@)
 *
 * Sessions are not shared between callers yet: MAPI_ALLOW_OTHERS and the
 * absence of MAPI_NEW_SESSION both give a new session.
 */
HRESULT WINAPI MAPILogonEx( ULONG_PTR ui_param, WCHAR *profile, WCHAR *password, ULONG flags,
                            IMAPISession **session )
{
    static const ULONG valid_flags = MAPI_LOGON_UI | MAPI_NEW_SESSION | MAPI_APP_PROFILE | MAPI_ALLOW_OTHERS
            | MAPI_EXPLICIT_PROFILE | MAPI_EXTENDED | MAPI_USE_DEFAULT | MAPI_FORCE_DOWNLOAD
            | MAPI_SERVICE_UI_ALWAYS | MAPI_NO_MAIL | MAPI_NT_SERVICE | MAPI_PASSWORD_UI | MAPI_TIMEOUT_SHORT
            | MAPI_BG_SESSION | MAPI_UNICODE;
    WCHAR *name = NULL;
    HRESULT hr;
    HKEY key;
    int len;

    TRACE( "%#Ix, %p, %p, %#lx, %p.\n", ui_param, profile, password, flags, session );

    if (!session) return MAPI_E_INVALID_PARAMETER;
    *session = NULL;
    if (!mapix_is_initialized()) return MAPI_E_NOT_INITIALIZED;
    if (flags & ~valid_flags) return MAPI_E_UNKNOWN_FLAGS;

    if (profile && ((flags & MAPI_UNICODE) ? profile[0] : ((char *)profile)[0]))
    {
        if (flags & MAPI_UNICODE) name = wcsdup( profile );
        else if ((len = MultiByteToWideChar( CP_ACP, 0, (char *)profile, -1, NULL, 0 ))
                 && (name = malloc( len * sizeof(WCHAR) )))
            MultiByteToWideChar( CP_ACP, 0, (char *)profile, -1, name, len );
        if (!name) return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    else if (flags & MAPI_USE_DEFAULT)
    {
        if (FAILED(profile_get_default( &name ))) name = NULL;
    }

    if (!name)
    {
        /* choosing a profile needs UI Wine does not have */
        if (flags & MAPI_LOGON_UI) FIXME( "profile selection UI is not implemented.\n" );
        return MAPI_E_LOGON_FAILED;
    }
    TRACE( "profile %s.\n", debugstr_w(name) );

    if (FAILED(profile_open( name, KEY_READ, &key )))
    {
        WARN( "no profile %s.\n", debugstr_w(name) );
        free( name );
        return MAPI_E_LOGON_FAILED;
    }
    RegCloseKey( key );

    hr = session_create( name, flags, session );
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
    return session_create( NULL, flags, session );
}
