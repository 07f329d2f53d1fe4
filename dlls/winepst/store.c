/*
 * winepst: a store logon, its IMSLogon and IMsgStore, and the logoff path
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
 * The teardown follows shared/spec/mapi-logoff.md (rules R3.5, R4.9, R5.5,
 * R7.5 and sequences (a)-(d) of §10):
 *
 *   IMsgStore::StoreLogoff    saves its flag, answers LOGOFF_COMPLETE; the
 *                             store accepts nothing but Release from then on.
 *   IMsgStore final Release   store_logon_invalidate: StoreLogoffTransports
 *                             with the saved flag (LOGOFF_ABORT if StoreLogoff
 *                             never ran), children invalidated, file closed,
 *                             support object released last.  MAPI's final
 *                             release of the support object then calls
 *                             IMSLogon::Logoff, which finds nothing left to
 *                             do, and IMSLogon::Release.
 *   IMSLogon::Logoff          the same invalidation, for a store clients
 *                             still hold (IMAPISession::Logoff).
 *   IMSLogon final Release    the same again if Logoff never came (R7.5).
 */

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

static inline struct store_logon *impl_from_IMSLogon( IMSLogon *iface )
{
    return CONTAINING_RECORD( iface, struct store_logon, IMSLogon_iface );
}

static inline struct store *impl_from_IMsgStore( IMsgStore *iface )
{
    return CONTAINING_RECORD( iface, struct store, IMsgStore_iface );
}

void store_logon_addref_internal( struct store_logon *logon )
{
    InterlockedIncrement( &logon->internal_refcount );
}

void store_logon_release_internal( struct store_logon *logon )
{
    if (InterlockedDecrement( &logon->internal_refcount )) return;

    TRACE( "freeing logon %p.\n", logon );
    /* the logon died before its last reference went */
    if (logon->last_error) logon->alloc.free_buffer( logon->last_error );
    logon->cs.DebugInfo->Spare[0] = 0;
    DeleteCriticalSection( &logon->cs );
    free( logon->path );
    free( logon->display_name );
    free( logon );
    InterlockedDecrement( &pst_object_count );
}

/* Raises the store's count unless it already reached zero (its teardown may
 * be under way on another thread). */
static BOOL store_addref_if_alive( struct store *store )
{
    LONG count;

    do
    {
        if (!(count = store->refcount)) return FALSE;
    } while (InterlockedCompareExchange( &store->refcount, count + 1, count ) != count);
    return TRUE;
}

struct store_logon *provider_find_open_store( struct provider *provider, const WCHAR *path )
{
    struct store_logon *logon, *found = NULL;

    EnterCriticalSection( &provider->cs );
    LIST_FOR_EACH_ENTRY( logon, &provider->logons, struct store_logon, entry )
    {
        if (wcsicmp( logon->path, path )) continue;
        EnterCriticalSection( &logon->cs );
        if (logon->state == STORE_ACTIVE && logon->store && store_addref_if_alive( logon->store ))
        {
            store_logon_addref_internal( logon );
            found = logon;
        }
        LeaveCriticalSection( &logon->cs );
        if (found) break;
    }
    LeaveCriticalSection( &provider->cs );
    return found;
}

void store_logon_invalidate( struct store_logon *logon )
{
    struct store_child *child;
    IMAPISupport *support;
    ULONG flags;
    HRESULT hr;

    EnterCriticalSection( &logon->cs );
    if (logon->state == STORE_DEAD)
    {
        LeaveCriticalSection( &logon->cs );
        return;
    }
    logon->state = STORE_DEAD;
    flags = logon->logoff_flags;
    LeaveCriticalSection( &logon->cs );

    TRACE( "logon %p: invalidating, logoff flags %#lx.\n", logon, flags );

    /* no piggyback logon may find a dying store */
    EnterCriticalSection( &logon->provider->cs );
    list_remove( &logon->entry );
    LeaveCriticalSection( &logon->provider->cs );

    /* Without a spooler MAPI just answers LOGOFF_COMPLETE; a configuration
     * support object answers MAPI_E_NO_SUPPORT, which is normal (R5.12). */
    hr = IMAPISupport_StoreLogoffTransports( logon->support, &flags );
    if (FAILED(hr) && hr != MAPI_E_NO_SUPPORT) WARN( "StoreLogoffTransports returned %#lx.\n", hr );

    EnterCriticalSection( &logon->cs );
    LIST_FOR_EACH_ENTRY( child, &logon->children, struct store_child, entry )
    {
        child->dead = TRUE;
        if (child->invalidate) child->invalidate( child );
    }
    /* everything committed is on disk already; nothing uncommitted survives */
    if (logon->file) pst_close( logon->file );
    if (logon->io) logon->io->close( logon->io );
    logon->file = NULL;
    logon->io = NULL;
    support = logon->support;
    logon->support = NULL;
    LeaveCriticalSection( &logon->cs );

    /* last: MAPI may call our IMSLogon's Logoff and Release from inside */
    IMAPISupport_Release( support );
}

HRESULT store_logon_transact( struct store_logon *logon, int (*write)(struct pst_file *file, void *context),
                              void *context )
{
    int err;

    if (!logon->writable) return MAPI_E_NO_ACCESS;
    /* engine-backed contents tables cannot catch up with a write */
    contents_tables_freeze( logon );
    if ((err = pst_begin( logon->file ))) return hresult_from_pst( err );
    if ((err = write( logon->file, context )) || (err = pst_commit( logon->file )))
    {
        WARN( "write failed: %s\n", debugstr_a(pst_last_error( logon->file )) );
        /* the file keeps its last committed state */
        pst_abort( logon->file );
        return hresult_from_pst( err );
    }
    logon->generation++;
    return S_OK;
}

/* Both halves check this on entry: TRUE with the lock held when usable. */
static BOOL logon_enter( struct store_logon *logon )
{
    EnterCriticalSection( &logon->cs );
    if (logon->state == STORE_ACTIVE) return TRUE;
    LeaveCriticalSection( &logon->cs );
    return FALSE;
}

static void logon_leave( struct store_logon *logon )
{
    LeaveCriticalSection( &logon->cs );
}

void store_child_init( struct store_child *child, struct store_logon *logon,
                       void (*invalidate)(struct store_child *child) )
{
    child->logon = logon;
    child->dead = FALSE;
    child->invalidate = invalidate;
    store_logon_addref_internal( logon );
    EnterCriticalSection( &logon->cs );
    list_add_tail( &logon->children, &child->entry );
    LeaveCriticalSection( &logon->cs );
    InterlockedIncrement( &pst_object_count );
}

BOOL store_child_enter( struct store_child *child )
{
    EnterCriticalSection( &child->logon->cs );
    if (!child->dead && child->logon->state == STORE_ACTIVE) return TRUE;
    LeaveCriticalSection( &child->logon->cs );
    return FALSE;
}

void store_child_leave( struct store_child *child )
{
    LeaveCriticalSection( &child->logon->cs );
}

void store_child_destroy( struct store_child *child )
{
    struct store_logon *logon = child->logon;

    EnterCriticalSection( &logon->cs );
    list_remove( &child->entry );
    if (!child->dead && child->invalidate) child->invalidate( child );
    child->dead = TRUE;
    LeaveCriticalSection( &logon->cs );
    store_logon_release_internal( logon );
    InterlockedDecrement( &pst_object_count );
}

/* Copies a value stored as UTF-16LE bytes into a new string. */
static WCHAR *strdup_pst_unicode( const struct pst_value *value )
{
    size_t chars = value->size / sizeof(WCHAR);
    WCHAR *str;

    if (!(str = malloc( (chars + 1) * sizeof(WCHAR) ))) return NULL;
    memcpy( str, value->bytes, chars * sizeof(WCHAR) );
    str[chars] = 0;
    return str;
}

/* PR_DISPLAY_NAME of the store, else the file name */
static WCHAR *store_display_name( struct pst_file *file, const WCHAR *path )
{
    struct pst_object *store;
    struct pst_value value;
    const WCHAR *name;
    WCHAR *str = NULL;

    if (!pst_store_open( file, &store ))
    {
        if (!pst_prop_get( store, PR_DISPLAY_NAME_W, &value ) && value.size)
            str = strdup_pst_unicode( &value );
        else if (!pst_prop_get( store, PR_DISPLAY_NAME_A, &value ) && value.size)
        {
            /* a client may have set it as PT_STRING8 */
            char *text = malloc( value.size + 1 );

            if (text)
            {
                memcpy( text, value.bytes, value.size );
                text[value.size] = 0;
                str = strdup_a_to_w( text );
                free( text );
            }
        }
        pst_object_close( store );
    }
    if (str) return str;
    name = wcsrchr( path, '\\' );
    return wcsdup( name ? name + 1 : path );
}

/* [MS-PST] 2.4.3.3: a non-zero PR_PST_PASSWORD is the CRC-32 of the
 * password the user must give before the store opens.  The password only
 * gates the logon: nothing in the file is encrypted with it.  Without UI,
 * MAPI's way to give it is the profile section's PR_PST_PW_SZ_OLD(_W), which
 * the service's configuration stores; the CRC is over the password's 8-bit
 * characters (ANSI code page), case-sensitive.  A missing or wrong password
 * fails this store alone: MAPI_E_FAILONEPROVIDER keeps the rest of the
 * service usable (mapi-logoff.md R2.10) whether or not MDB_NO_DIALOG was
 * given, since there is no password dialog. */
static HRESULT store_check_password( struct store_logon *logon, IMAPISupport *support )
{
    static const SizedSPropTagArray(2, tags) = { 2, { PR_PST_PW_SZ_OLD_W, PR_PST_PW_SZ_OLD } };
    uint32_t crc = 0, given = 0;
    IProfSect *section;
    SPropValue *props;
    BOOL found = FALSE;
    ULONG count;
    HRESULT hr;
    char *text;
    int err, len;

    if ((err = pst_store_get_password_crc( logon->file, &crc ))) return hresult_from_pst( err );
    if (!crc) return S_OK;
    TRACE( "%s is password-protected.\n", debugstr_w(logon->path) );
    if (FAILED(hr = IMAPISupport_OpenProfileSection( support, NULL, 0, &section ))) return hr;
    hr = IProfSect_GetProps( section, (SPropTagArray *)&tags, 0, &count, &props );
    IProfSect_Release( section );
    if (FAILED(hr)) return hr;
    if (props[0].ulPropTag == PR_PST_PW_SZ_OLD_W)
    {
        len = WideCharToMultiByte( CP_ACP, 0, props[0].Value.lpszW, -1, NULL, 0, NULL, NULL );
        if ((text = malloc( len )))
        {
            WideCharToMultiByte( CP_ACP, 0, props[0].Value.lpszW, -1, text, len, NULL, NULL );
            given = pst_password_crc( text, strlen( text ) );
            found = TRUE;
            free( text );
        }
        else hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    else if (props[1].ulPropTag == PR_PST_PW_SZ_OLD)
    {
        given = pst_password_crc( props[1].Value.lpszA, strlen( props[1].Value.lpszA ) );
        found = TRUE;
    }
    logon->alloc.free_buffer( props );
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY) return hr;
    if (found && given == crc) return S_OK;
    WARN( "%s: %s password.\n", debugstr_w(logon->path), found ? "wrong" : "no" );
    return MAPI_E_FAILONEPROVIDER;
}

/* asked only once an open failed: a missing file is MAPI_E_NOT_FOUND whatever the open said,
 * and looking first would cost every logon a round trip to the wineserver */
static BOOL store_file_missing( const WCHAR *path )
{
    if (GetFileAttributesW( path ) != INVALID_FILE_ATTRIBUTES) return FALSE;
    WARN( "%s does not exist.\n", debugstr_w(path) );
    return TRUE;
}

/* Opens the file, for writing when the logon asks for it (imsprovider-logon.md):
 * MDB_WRITE requests read/write access and fails with MAPI_E_NO_ACCESS
 * when it cannot be had; MAPI_BEST_ACCESS asks for the most the store can
 * give, so it settles for reading when another writer (this process or
 * another, PST_E_LOCKED) holds the file or the file is ANSI (wVer 14/15:
 * the engine writes Unicode files only).  Logon never creates a file:
 * configuration does (service.c); a missing file stays MAPI_E_NOT_FOUND. */
static HRESULT store_open_file( struct store_logon *logon, IMAPISupport *support )
{
    BOOL want_write = !!(logon->logon_flags & (MDB_WRITE | MAPI_BEST_ACCESS));
    BOOL must_write = (logon->logon_flags & MDB_WRITE) && !(logon->logon_flags & MAPI_BEST_ACCESS);
    char message[256];
    HRESULT hr;
    int err;

    if (want_write)
    {
        if ((err = pst_io_open_file_w( (const uint16_t *)logon->path, PST_IO_WRITE, &logon->io ))
                && store_file_missing( logon->path ))
            return MAPI_E_NOT_FOUND;
        if (!err)
        {
            err = pst_open_write( logon->io, NULL, &logon->file, message, sizeof(message) );
            if (!err) logon->writable = TRUE;
            else
            {
                WARN( "cannot write %s: %s\n", debugstr_w(logon->path), debugstr_a(message) );
                logon->io->close( logon->io );
                logon->io = NULL;
            }
        }
        if (err && must_write)
        {
            /* a file that is no PST is not a locking problem */
            if (err == PST_E_CORRUPT) return MAPI_E_CORRUPT_STORE;
            return err == PST_E_UNSUPPORTED || err == PST_E_READ_ONLY ? MAPI_E_NO_ACCESS : hresult_from_pst( err );
        }
        if (err) TRACE( "%s: %s, opening read-only.\n", debugstr_w(logon->path), pst_strerror( err ) );
    }
    if (!logon->file)
    {
        if ((err = pst_io_open_file_w( (const uint16_t *)logon->path, 0, &logon->io )))
            return store_file_missing( logon->path ) ? MAPI_E_NOT_FOUND : hresult_from_pst( err );
        if ((err = pst_open( logon->io, NULL, &logon->file, message, sizeof(message) )))
        {
            WARN( "cannot open %s: %s\n", debugstr_w(logon->path), debugstr_a(message) );
            logon->io->close( logon->io );
            logon->io = NULL;
            /* a damaged or foreign file is a damaged store to MAPI */
            return err == PST_E_CORRUPT ? MAPI_E_CORRUPT_STORE : hresult_from_pst( err );
        }
    }
    TRACE( "%s open %s.\n", debugstr_w(logon->path), logon->writable ? "read/write" : "read-only" );
    if (FAILED(hr = store_check_password( logon, support ))) return hr;
    if ((err = pst_store_get_uid( logon->file, logon->uid ))) return hresult_from_pst( err );
    if (!(logon->display_name = store_display_name( logon->file, logon->path ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    return S_OK;
}

static const IMSLogonVtbl logon_vtbl;
static const IMsgStoreVtbl store_vtbl;

HRESULT store_logon_create( struct provider *provider, IMAPISupport *support, const WCHAR *path,
                            ULONG flags, struct store_logon **out )
{
    struct store_logon *logon;
    struct store *store;
    HRESULT hr;

    if (!(logon = calloc( 1, sizeof(*logon) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(store = calloc( 1, sizeof(*store) )) || !(logon->path = wcsdup( path )))
    {
        free( store );
        free( logon );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    logon->IMSLogon_iface.lpVtbl = &logon_vtbl;
    logon->logon_refcount = 1;
    /* one for the IMSLogon, one for the IMsgStore */
    logon->internal_refcount = 2;
    logon->provider = provider;
    logon->alloc = provider->alloc;
    logon->logon_flags = flags;
    logon->logoff_flags = LOGOFF_ABORT;
    logon->state = STORE_ACTIVE;
    list_init( &logon->children );
    list_init( &logon->entry );
    InitializeCriticalSection( &logon->cs );
    logon->cs.DebugInfo->Spare[0] = (DWORD_PTR)(__FILE__ ": store_logon.cs");
    store->IMsgStore_iface.lpVtbl = &store_vtbl;
    store->refcount = 1;
    store->logon = logon;
    logon->store = store;

    if (FAILED(hr = store_open_file( logon, support )))
    {
        if (logon->file) pst_close( logon->file );
        if (logon->io) logon->io->close( logon->io );
        logon->cs.DebugInfo->Spare[0] = 0;
        DeleteCriticalSection( &logon->cs );
        free( logon->display_name );
        free( logon->path );
        free( logon );
        free( store );
        return hr;
    }

    /* the support object lives as long as we hold it (R2.3) */
    IMAPISupport_AddRef( support );
    logon->support = support;
    EnterCriticalSection( &provider->cs );
    list_add_tail( &provider->logons, &logon->entry );
    LeaveCriticalSection( &provider->cs );
    InterlockedExchangeAdd( &pst_object_count, 2 );

    TRACE( "opened %s as logon %p, store %p.\n", debugstr_w(path), logon, store );
    *out = logon;
    return S_OK;
}

/* Shared by IMSLogon and IMsgStore: GetLastError */
static HRESULT logon_get_last_error( struct store_logon *logon, HRESULT result, ULONG flags, MAPIERROR **error )
{
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return mapi_error_create( &logon->alloc, result, flags, NULL, error );
}

/* Shared by IMSLogon and IMsgStore: notifications go through MAPI's
 * notification engine, keyed by the entry ID or, for the whole store, by
 * the store's UID. */
static HRESULT logon_advise( struct store_logon *logon, ULONG entry_size, ENTRYID *entry, ULONG mask,
                             IMAPIAdviseSink *sink, ULONG_PTR *connection )
{
    BYTE buffer[FIELD_OFFSET(NOTIFKEY, ab[PST_ENTRYID_SIZE])];
    NOTIFKEY *key = (NOTIFKEY *)buffer;
    IMAPISupport *support;
    uint32_t nid;
    HRESULT hr;

    if (!sink || !connection || !mask || (entry_size && !entry)) return MAPI_E_INVALID_PARAMETER;
    if (entry)
    {
        if (pst_entryid_parse( (const uint8_t *)entry, entry_size, NULL, &nid )) return MAPI_E_INVALID_ENTRYID;
        key->cb = PST_ENTRYID_SIZE;
        pst_entryid_format( logon->uid, nid, key->ab );
    }
    else
    {
        key->cb = sizeof(logon->uid);
        memcpy( key->ab, logon->uid, sizeof(logon->uid) );
    }
    support = logon->support;
    IMAPISupport_AddRef( support );
    logon_leave( logon );
    hr = IMAPISupport_Subscribe( support, key, mask, 0, sink, connection );
    IMAPISupport_Release( support );
    return hr;
}

static HRESULT logon_unadvise( struct store_logon *logon, ULONG_PTR connection )
{
    IMAPISupport *support = logon->support;
    HRESULT hr;

    if (!connection) return MAPI_E_INVALID_PARAMETER;
    IMAPISupport_AddRef( support );
    logon_leave( logon );
    hr = IMAPISupport_Unsubscribe( support, connection );
    IMAPISupport_Release( support );
    return hr;
}

static HRESULT logon_compare_entry_ids( struct store_logon *logon, ULONG size1, ENTRYID *entry1, ULONG size2,
                                        ENTRYID *entry2, ULONG flags, ULONG *result )
{
    uint8_t uid1[16], uid2[16];
    uint32_t nid1, nid2;

    if (!result || !entry1 || !entry2) return MAPI_E_INVALID_PARAMETER;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    if (pst_entryid_parse( (const uint8_t *)entry1, size1, uid1, &nid1 )
            || pst_entryid_parse( (const uint8_t *)entry2, size2, uid2, &nid2 ))
        return MAPI_E_INVALID_ENTRYID;
    *result = !memcmp( uid1, uid2, sizeof(uid1) ) && nid1 == nid2;
    return S_OK;
}

static HRESULT WINAPI logon_QueryInterface( IMSLogon *iface, REFIID riid, void **out )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_IMSLogon ))
    {
        *out = &logon->IMSLogon_iface;
        IMSLogon_AddRef( &logon->IMSLogon_iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI logon_AddRef( IMSLogon *iface )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );
    ULONG refcount = InterlockedIncrement( &logon->logon_refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI logon_Release( IMSLogon *iface )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );
    ULONG refcount = InterlockedDecrement( &logon->logon_refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        /* a final Release without Logoff acts as Logoff(&0) did (R7.5) */
        store_logon_invalidate( logon );
        store_logon_release_internal( logon );
    }
    return refcount;
}

static HRESULT WINAPI logon_GetLastError( IMSLogon *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    /* usable after logoff too: MAPI may ask why a call failed */
    return logon_get_last_error( logon, result, flags, error );
}

static HRESULT WINAPI logon_Logoff( IMSLogon *iface, ULONG *flags )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );

    TRACE( "%p, %p.\n", iface, flags );

    /* The argument is reserved and must point to zero.  A bad argument
     * changes nothing; MAPI's final Release still ends the logon (R7.5). */
    if (!flags) return MAPI_E_INVALID_PARAMETER;
    if (*flags) return MAPI_E_UNKNOWN_FLAGS;

    store_logon_addref_internal( logon );
    EnterCriticalSection( &logon->cs );
    logon->logged_off = TRUE;
    LeaveCriticalSection( &logon->cs );
    store_logon_invalidate( logon );
    store_logon_release_internal( logon );
    return S_OK;
}

static HRESULT WINAPI logon_OpenEntry( IMSLogon *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                       ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %s, %#lx, %p, %p.\n", iface, entry_size, entry, debugstr_guid(iid), flags, obj_type, unk );

    if (!logon_enter( logon )) return MAPI_E_INVALID_OBJECT;
    hr = logon_open_entry( logon, entry_size, entry, 0, iid, flags, obj_type, unk );
    logon_leave( logon );
    return hr;
}

static HRESULT WINAPI logon_CompareEntryIDs( IMSLogon *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                             ENTRYID *entry2, ULONG flags, ULONG *result )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %lu, %p, %#lx, %p.\n", iface, size1, entry1, size2, entry2, flags, result );

    if (!logon_enter( logon )) return MAPI_E_INVALID_OBJECT;
    hr = logon_compare_entry_ids( logon, size1, entry1, size2, entry2, flags, result );
    logon_leave( logon );
    return hr;
}

static HRESULT WINAPI logon_Advise( IMSLogon *iface, ULONG entry_size, ENTRYID *entry, ULONG mask,
                                    IMAPIAdviseSink *sink, ULONG_PTR *connection )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );

    TRACE( "%p, %lu, %p, %#lx, %p, %p.\n", iface, entry_size, entry, mask, sink, connection );

    if (!logon_enter( logon )) return MAPI_E_INVALID_OBJECT;
    /* leaves the lock: MAPI calls back */
    return logon_advise( logon, entry_size, entry, mask, sink, connection );
}

static HRESULT WINAPI logon_Unadvise( IMSLogon *iface, ULONG_PTR connection )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );

    TRACE( "%p, %#Ix.\n", iface, connection );

    if (!logon_enter( logon )) return MAPI_E_INVALID_OBJECT;
    return logon_unadvise( logon, connection );
}

static HRESULT WINAPI logon_OpenStatusEntry( IMSLogon *iface, const IID *iid, ULONG flags, ULONG *obj_type,
                                             void **entry )
{
    struct store_logon *logon = impl_from_IMSLogon( iface );
    IMAPISupport *support;
    IMAPIStatus *status;
    HRESULT hr;

    TRACE( "%p, %s, %#lx, %p, %p.\n", iface, debugstr_guid(iid), flags, obj_type, entry );

    if (!logon_enter( logon )) return MAPI_E_INVALID_OBJECT;
    if (!obj_type || !entry) hr = MAPI_E_INVALID_PARAMETER;
    else if (flags & ~MAPI_MODIFY) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (iid && !IsEqualGUID( iid, &IID_IMAPIStatus ) && !IsEqualGUID( iid, &IID_IMAPIProp )
             && !IsEqualGUID( iid, &IID_IUnknown ))
        hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
    else hr = S_OK;
    if (FAILED(hr))
    {
        logon_leave( logon );
        return hr;
    }
    support = logon->support;
    IMAPISupport_AddRef( support );
    logon_leave( logon );
    /* a read-only object even for MAPI_MODIFY, which the documentation
     * allows (status-object-implementation.md); it reads the profile */
    if (SUCCEEDED(hr = status_open( logon, support, &status )))
    {
        *obj_type = MAPI_STATUS;
        *entry = status;
    }
    IMAPISupport_Release( support );
    return hr;
}

static const IMSLogonVtbl logon_vtbl =
{
    logon_QueryInterface,
    logon_AddRef,
    logon_Release,
    logon_GetLastError,
    logon_Logoff,
    logon_OpenEntry,
    logon_CompareEntryIDs,
    logon_Advise,
    logon_Unadvise,
    logon_OpenStatusEntry,
};

/* The store is usable: the logon lives and StoreLogoff has not run. */
static BOOL store_enter( struct store *store )
{
    if (!logon_enter( store->logon )) return FALSE;
    if (!store->logged_off) return TRUE;
    logon_leave( store->logon );
    return FALSE;
}

static HRESULT WINAPI store_QueryInterface( IMsgStore *iface, REFIID riid, void **out )
{
    struct store *store = impl_from_IMsgStore( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_IMAPIProp )
            || IsEqualGUID( riid, &IID_IMsgStore ))
    {
        *out = &store->IMsgStore_iface;
        IMsgStore_AddRef( &store->IMsgStore_iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI store_AddRef( IMsgStore *iface )
{
    struct store *store = impl_from_IMsgStore( iface );
    ULONG refcount = InterlockedIncrement( &store->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI store_Release( IMsgStore *iface )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    ULONG refcount = InterlockedDecrement( &store->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        /* clients are done with the store: this ends the logon (R5.5) */
        store_logon_invalidate( logon );
        EnterCriticalSection( &logon->cs );
        logon->store = NULL;
        LeaveCriticalSection( &logon->cs );
        free( store );
        InterlockedDecrement( &pst_object_count );
        store_logon_release_internal( logon );
    }
    return refcount;
}

static HRESULT WINAPI store_GetLastError( IMsgStore *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct store *store = impl_from_IMsgStore( iface );

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    logon_leave( store->logon );
    return logon_get_last_error( store->logon, result, flags, error );
}

static HRESULT WINAPI store_SaveChanges( IMsgStore *iface, ULONG flags )
{
    struct store *store = impl_from_IMsgStore( iface );

    TRACE( "%p, %#lx.\n", iface, flags );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    logon_leave( store->logon );
    if (flags & ~(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    /* the store object itself has nothing transacted to save */
    return S_OK;
}

HRESULT store_wrapped_entryid( struct store_logon *logon, ULONG *size, ENTRYID **entryid )
{
    ENTRYID *unwrapped;
    IMAPISupport *support;
    ULONG unwrapped_size;
    HRESULT hr;

    *size = 0;
    *entryid = NULL;
    if (!logon_enter( logon )) return MAPI_E_INVALID_OBJECT;
    if (FAILED(hr = store_entryid_build( logon, &logon->alloc, NULL, &unwrapped_size, &unwrapped )))
    {
        logon_leave( logon );
        return hr;
    }
    support = logon->support;
    IMAPISupport_AddRef( support );
    logon_leave( logon );
    /* MAPI's part: the prefix that routes the entry ID to this provider */
    hr = IMAPISupport_WrapStoreEntryID( support, unwrapped_size, unwrapped, size, entryid );
    IMAPISupport_Release( support );
    logon->alloc.free_buffer( unwrapped );
    return hr;
}

/* Why each bit of PR_STORE_SUPPORT_MASK is set:
 *   STORE_ENTRYID_UNIQUE   entry IDs are the store UID and a NID, and the
 *                          file never reuses a NID for another object
 *   STORE_READONLY         the file is open read-only (ANSI file, another
 *                          writer, or no MDB_WRITE / MAPI_BEST_ACCESS);
 *                          otherwise STORE_MODIFY_OK | STORE_CREATE_OK
 *   STORE_ATTACH_OK        attachments are read (attach.c)
 *   STORE_MV_PROPS_OK      every PT_MV_* type is returned
 *   STORE_RESTRICTION_OK,  contents and hierarchy tables are winemapix
 *   STORE_SORT_OK          tables, which restrict and sort
 *   STORE_UNICODE_OK,      strings are converted both ways, whatever the
 *   STORE_ANSI_OK          file stores
 *   STORE_NOTIFY_OK        object, table and new-mail events reach the
 *                          sinks given to Advise (notify.c)
 * Not set: searching, submitting, OLE, RTF syncing, HTML, categorized
 * tables, public folders. */
#define STORE_SUPPORT_MASK (STORE_ENTRYID_UNIQUE | STORE_ATTACH_OK | STORE_MV_PROPS_OK | STORE_NOTIFY_OK \
                            | STORE_RESTRICTION_OK | STORE_SORT_OK | STORE_UNICODE_OK | STORE_ANSI_OK)

/* PR_VALID_FOLDER_MASK: the special folders whose entry IDs lead to a folder */
static ULONG store_valid_folders( struct store_logon *logon )
{
    static const struct { ULONG tag; ULONG bit; } folders[] =
    {
        { PR_IPM_SUBTREE_ENTRYID, FOLDER_IPM_SUBTREE_VALID },
        { PR_IPM_OUTBOX_ENTRYID, FOLDER_IPM_OUTBOX_VALID },
        { PR_IPM_WASTEBASKET_ENTRYID, FOLDER_IPM_WASTEBASKET_VALID },
        { PR_IPM_SENTMAIL_ENTRYID, FOLDER_IPM_SENTMAIL_VALID },
        { PR_VIEWS_ENTRYID, FOLDER_VIEWS_VALID },
        { PR_COMMON_VIEWS_ENTRYID, FOLDER_COMMON_VIEWS_VALID },
        { PR_FINDER_ENTRYID, FOLDER_FINDER_VALID },
    };
    struct pst_node_info info;
    ULONG i, mask = 0;
    uint32_t nid;

    for (i = 0; i < ARRAY_SIZE(folders); i++)
        if (!pst_store_get_special_folder( logon->file, folders[i].tag, &nid )
                && !pst_node_get( logon->file, nid, &info ))
            mask |= folders[i].bit;
    return mask;
}

#define STORE_COMPUTED 12

static ULONG store_computed( struct store_logon *logon, struct pst_object *obj, const ENTRYID *entryid,
                             ULONG entryid_size, SPropValue *props )
{
    struct pst_value value;
    ULONG n = 0;

    props[n].ulPropTag = PR_OBJECT_TYPE;
    props[n++].Value.l = MAPI_STORE;
    if (entryid)
    {
        props[n].ulPropTag = PR_ENTRYID;
        props[n].Value.bin.cb = entryid_size;
        props[n++].Value.bin.lpb = (BYTE *)entryid;
        props[n].ulPropTag = PR_STORE_ENTRYID;
        props[n].Value.bin.cb = entryid_size;
        props[n++].Value.bin.lpb = (BYTE *)entryid;
    }
    props[n].ulPropTag = PR_RECORD_KEY;
    props[n].Value.bin.cb = sizeof(logon->uid);
    props[n++].Value.bin.lpb = logon->uid;
    props[n].ulPropTag = PR_STORE_RECORD_KEY;
    props[n].Value.bin.cb = sizeof(logon->uid);
    props[n++].Value.bin.lpb = logon->uid;
    props[n].ulPropTag = PR_MDB_PROVIDER;
    props[n].Value.bin.cb = sizeof(winepst_provider_uid);
    props[n++].Value.bin.lpb = (BYTE *)&winepst_provider_uid;
    /* the stored name, in whatever type the file has, else the file name */
    if (pst_prop_get( obj, PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_DISPLAY_NAME_W)), &value ))
    {
        props[n].ulPropTag = PR_DISPLAY_NAME_W;
        props[n++].Value.lpszW = logon->display_name;
    }
    props[n].ulPropTag = PR_STORE_SUPPORT_MASK;
    props[n++].Value.l = STORE_SUPPORT_MASK | (logon->writable ? STORE_MODIFY_OK | STORE_CREATE_OK : STORE_READONLY);
    props[n].ulPropTag = PR_VALID_FOLDER_MASK;
    props[n++].Value.l = store_valid_folders( logon );
    props[n].ulPropTag = PR_ACCESS_LEVEL;
    props[n++].Value.l = logon->writable ? MAPI_MODIFY : 0;
    return n;
}

static BOOL store_tags_want( const SPropTagArray *tags, ULONG tag )
{
    ULONG i;

    if (!tags) return TRUE;
    for (i = 0; i < tags->cValues; i++) if (PROP_ID(tags->aulPropTag[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

static HRESULT WINAPI store_GetProps( IMsgStore *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                      SPropValue **props )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    SPropValue computed[STORE_COMPUTED];
    struct pst_object *obj = NULL;
    ENTRYID *entryid = NULL;
    ULONG entryid_size = 0, n;
    HRESULT hr;
    int err;

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, props );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    logon_leave( logon );
    if (!count || !props || (tags && !tags->cValues)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;

    if ((store_tags_want( tags, PR_ENTRYID ) || store_tags_want( tags, PR_STORE_ENTRYID ))
            && FAILED(hr = store_wrapped_entryid( logon, &entryid_size, &entryid ))) return hr;

    if (!store_enter( store ))
    {
        logon->alloc.free_buffer( entryid );
        return MAPI_E_INVALID_OBJECT;
    }
    if ((err = pst_store_open( logon->file, &obj ))) hr = hresult_from_pst( err );
    else
    {
        n = store_computed( logon, obj, entryid, entryid_size, computed );
        hr = props_get( &logon->alloc, obj, computed, n, tags, flags, count, props );
        pst_object_close( obj );
    }
    logon_leave( logon );
    logon->alloc.free_buffer( entryid );
    return hr;
}

static HRESULT WINAPI store_GetPropList( IMsgStore *iface, ULONG flags, SPropTagArray **tags )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    SPropValue computed[STORE_COMPUTED];
    struct pst_object *obj = NULL;
    BYTE dummy[4] = {0};
    HRESULT hr;
    ULONG n;
    int err;

    TRACE( "%p, %#lx, %p.\n", iface, flags, tags );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if ((err = pst_store_open( logon->file, &obj ))) hr = hresult_from_pst( err );
    else
    {
        /* the entry IDs are listed; only GetProps needs MAPI to wrap them */
        n = store_computed( logon, obj, (ENTRYID *)dummy, sizeof(dummy), computed );
        hr = props_get_list( &logon->alloc, obj, computed, n, flags, tags );
        pst_object_close( obj );
    }
    logon_leave( logon );
    return hr;
}

/* The store's own properties are not transacted: SetProps and DeleteProps
 * commit to the file at once, as folders do, and SaveChanges has nothing
 * left to save (IMsgStore inherits IMAPIProp::SaveChanges, which stores
 * that commit at once may treat as a no-op). */
static const ULONG store_readonly[] =
{
    PR_OBJECT_TYPE, PR_ENTRYID, PR_STORE_ENTRYID, PR_RECORD_KEY, PR_STORE_RECORD_KEY, PR_MDB_PROVIDER,
    PR_STORE_SUPPORT_MASK, PR_VALID_FOLDER_MASK, PR_ACCESS_LEVEL, PR_IPM_SUBTREE_ENTRYID, PR_IPM_OUTBOX_ENTRYID,
    PR_IPM_WASTEBASKET_ENTRYID, PR_IPM_SENTMAIL_ENTRYID, PR_VIEWS_ENTRYID, PR_COMMON_VIEWS_ENTRYID,
    PR_FINDER_ENTRYID,
};

static BOOL tag_is_readonly( ULONG tag )
{
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(store_readonly); i++) if (PROP_ID(store_readonly[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

struct store_props_write
{
    struct pst_propset set;
    const ULONG *remove;
    ULONG remove_count;
};

static int store_write_props( struct pst_file *file, void *context )
{
    struct store_props_write *w = context;

    return pst_store_set_props( file, &w->set, (const uint32_t *)w->remove, w->remove_count );
}

/* Lock held.  Writes the changes P holds to the store PC; a new display
 * name is kept for the profile (*renamed). */
static HRESULT store_commit_props( struct store_logon *logon, const struct pending_props *p, BOOL *renamed )
{
    struct store_props_write w;
    WCHAR *name;
    HRESULT hr;
    ULONG i;

    *renamed = FALSE;
    if (!p->count && !p->deleted_count) return S_OK;
    w.set.props = p->values;
    w.set.count = p->count;
    w.remove = p->deleted;
    w.remove_count = p->deleted_count;
    if (FAILED(hr = store_logon_transact( logon, store_write_props, &w ))) return hr;
    for (i = 0; i < p->count; i++) if (PROP_ID(p->values[i].tag) == PROP_ID(PR_DISPLAY_NAME_W)) *renamed = TRUE;
    for (i = 0; i < p->deleted_count; i++) if (PROP_ID(p->deleted[i]) == PROP_ID(PR_DISPLAY_NAME_W)) *renamed = TRUE;
    if (*renamed && (name = store_display_name( logon->file, logon->path )))
    {
        free( logon->display_name );
        logon->display_name = name;
    }
    return S_OK;
}

/* The store's name is also the PR_DISPLAY_NAME Logon put in the profile
 * section, which MAPI's message store table shows: keep them the same.
 * Lock not held. */
static void store_update_profile_name( struct store_logon *logon )
{
    IMAPISupport *support;
    IProfSect *section;
    SPropValue prop;
    WCHAR *name;

    if (!logon_enter( logon )) return;
    if ((logon->logon_flags & MDB_TEMPORARY) || !(name = wcsdup( logon->display_name )))
    {
        logon_leave( logon );
        return;
    }
    support = logon->support;
    IMAPISupport_AddRef( support );
    logon_leave( logon );
    if (SUCCEEDED(IMAPISupport_OpenProfileSection( support, NULL, MAPI_MODIFY, &section )))
    {
        prop.ulPropTag = PR_DISPLAY_NAME_W;
        prop.dwAlignPad = 0;
        prop.Value.lpszW = name;
        if (SUCCEEDED(IProfSect_SetProps( section, 1, &prop, NULL )))
            IProfSect_SaveChanges( section, KEEP_OPEN_READWRITE );
        IProfSect_Release( section );
    }
    IMAPISupport_Release( support );
    free( name );
    /* the status row shows the name too */
    status_row_update( logon );
}

/* A writable stream's bytes, committed: the store takes them at once. */
static HRESULT store_stream_commit( IUnknown *owner, ULONG tag, const void *data, size_t size )
{
    struct store *store = impl_from_IMsgStore( (IMsgStore *)owner );
    struct store_logon *logon = store->logon;
    struct pending_props p = { 0 };
    struct pst_object *obj;
    BOOL renamed = FALSE;
    HRESULT hr;
    int err;

    if (!store_enter( store )) return STG_E_REVERTED;
    if (!logon->writable) hr = STG_E_ACCESSDENIED;
    else if ((err = pst_store_open( logon->file, &obj ))) hr = hresult_from_pst( err );
    else
    {
        /* a stored value of the other string type goes with it */
        if (SUCCEEDED(hr = pending_stream_commit( &p, obj, tag, data, size )))
        {
            pst_object_close( obj );
            obj = NULL;
            hr = store_commit_props( logon, &p, &renamed );
        }
        if (obj) pst_object_close( obj );
    }
    logon_leave( logon );
    pending_props_clear( &p );
    if (renamed) store_update_profile_name( logon );
    return hr;
}

static HRESULT WINAPI store_OpenProperty( IMsgStore *iface, ULONG tag, const IID *iid, ULONG options,
                                          ULONG flags, IUnknown **unk )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    struct pending_props p = { 0 };
    struct pst_object *obj;
    ULONG type = PROP_TYPE(tag);
    HRESULT hr;
    int err;

    TRACE( "%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, unk );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (FAILED(hr = open_property_check( tag, iid, flags, unk ))) goto done;
    /* the store has no object-valued properties: streams are all it opens */
    if (!IsEqualGUID( iid, &IID_IStream ) && !IsEqualGUID( iid, &IID_IUnknown ))
    {
        hr = MAPI_E_INTERFACE_NOT_SUPPORTED;
        goto done;
    }
    if (type != PT_BINARY && type != PT_STRING8 && type != PT_UNICODE)
    {
        hr = MAPI_E_NO_SUPPORT;
        goto done;
    }
    if ((flags & (MAPI_MODIFY | MAPI_CREATE)) && !logon->writable)
    {
        hr = MAPI_E_NO_ACCESS;
        goto done;
    }
    if ((flags & (MAPI_MODIFY | MAPI_CREATE)) && tag_is_readonly( tag ))
    {
        hr = MAPI_E_COMPUTED;
        goto done;
    }
    if ((err = pst_store_open( logon->file, &obj )))
    {
        hr = hresult_from_pst( err );
        goto done;
    }
    if (flags & (MAPI_MODIFY | MAPI_CREATE))
        hr = pending_stream_open( logon, &p, obj, tag, flags, store_stream_commit, (IUnknown *)iface,
                                  (IStream **)unk );
    else hr = stream_create( logon, obj, tag, (IStream **)unk );
    pst_object_close( obj );
done:
    logon_leave( logon );
    pending_props_clear( &p );
    return hr;
}

static HRESULT WINAPI store_SetProps( IMsgStore *iface, ULONG count, SPropValue *props,
                                      SPropProblemArray **problems )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    struct pending_props p = { 0 };
    struct pst_object *obj;
    BOOL renamed = FALSE;
    HRESULT hr;
    int err;

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (problems) *problems = NULL;
    if (!props || !count) hr = MAPI_E_INVALID_PARAMETER;
    else if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if ((err = pst_store_open( logon->file, &obj ))) hr = hresult_from_pst( err );
    else
    {
        hr = pending_set_props( &logon->alloc, &p, obj, store_readonly, ARRAY_SIZE(store_readonly), count, props,
                                problems );
        pst_object_close( obj );
        if (SUCCEEDED(hr) && FAILED(hr = store_commit_props( logon, &p, &renamed )) && problems && *problems)
        {
            logon->alloc.free_buffer( *problems );
            *problems = NULL;
        }
    }
    logon_leave( logon );
    pending_props_clear( &p );
    if (renamed) store_update_profile_name( logon );
    return hr;
}

static HRESULT WINAPI store_DeleteProps( IMsgStore *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    struct pending_props p = { 0 };
    struct pst_object *obj;
    BOOL renamed = FALSE;
    HRESULT hr;
    int err;

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (problems) *problems = NULL;
    if (!tags) hr = MAPI_E_INVALID_PARAMETER;
    else if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if ((err = pst_store_open( logon->file, &obj ))) hr = hresult_from_pst( err );
    else
    {
        hr = pending_delete_props( &logon->alloc, &p, obj, store_readonly, ARRAY_SIZE(store_readonly), tags,
                                   problems );
        pst_object_close( obj );
        if (SUCCEEDED(hr) && FAILED(hr = store_commit_props( logon, &p, &renamed )) && problems && *problems)
        {
            logon->alloc.free_buffer( *problems );
            *problems = NULL;
        }
    }
    logon_leave( logon );
    pending_props_clear( &p );
    if (renamed) store_update_profile_name( logon );
    return hr;
}

static HRESULT WINAPI store_CopyTo( IMsgStore *iface, ULONG exclude_count, const IID *exclude_iids,
                                    SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                    const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    struct store *store = impl_from_IMsgStore( iface );

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude_props,
           ui_param, progress, debugstr_guid(iid), dest, flags, problems );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    logon_leave( store->logon );
    /* copying a whole store is not something MAPI stores support */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_CopyProps( IMsgStore *iface, SPropTagArray *include_props, ULONG ui_param,
                                       IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                       SPropProblemArray **problems )
{
    struct store *store = impl_from_IMsgStore( iface );

    TRACE( "%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include_props, ui_param, progress,
           debugstr_guid(iid), dest, flags, problems );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    logon_leave( store->logon );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetNamesFromIDs( IMsgStore *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                             ULONG *count, MAPINAMEID ***names )
{
    struct store *store = impl_from_IMsgStore( iface );

    HRESULT hr;

    TRACE( "%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    hr = props_get_names_from_ids( store->logon, tags, guid, flags, count, names );
    logon_leave( store->logon );
    return hr;
}

static HRESULT WINAPI store_GetIDsFromNames( IMsgStore *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                             SPropTagArray **tags )
{
    struct store *store = impl_from_IMsgStore( iface );

    HRESULT hr;

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, count, names, flags, tags );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    hr = props_get_ids_from_names( store->logon, count, names, flags, tags );
    logon_leave( store->logon );
    return hr;
}

static HRESULT WINAPI store_Advise( IMsgStore *iface, ULONG entry_size, ENTRYID *entry, ULONG mask,
                                    IMAPIAdviseSink *sink, ULONG *connection )
{
    struct store *store = impl_from_IMsgStore( iface );
    ULONG_PTR cookie;
    HRESULT hr;

    TRACE( "%p, %lu, %p, %#lx, %p, %p.\n", iface, entry_size, entry, mask, sink, connection );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (!connection)
    {
        logon_leave( store->logon );
        return MAPI_E_INVALID_PARAMETER;
    }
    /* Wine's mapidefs.h declares the connection as a ULONG */
    if (SUCCEEDED(hr = logon_advise( store->logon, entry_size, entry, mask, sink, &cookie )))
        *connection = cookie;
    return hr;
}

static HRESULT WINAPI store_Unadvise( IMsgStore *iface, ULONG connection )
{
    struct store *store = impl_from_IMsgStore( iface );

    TRACE( "%p, %#lx.\n", iface, connection );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    return logon_unadvise( store->logon, connection );
}

static HRESULT WINAPI store_CompareEntryIDs( IMsgStore *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                             ENTRYID *entry2, ULONG flags, ULONG *result )
{
    struct store *store = impl_from_IMsgStore( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %lu, %p, %#lx, %p.\n", iface, size1, entry1, size2, entry2, flags, result );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    hr = logon_compare_entry_ids( store->logon, size1, entry1, size2, entry2, flags, result );
    logon_leave( store->logon );
    return hr;
}

static HRESULT WINAPI store_OpenEntry( IMsgStore *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                       ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    struct store *store = impl_from_IMsgStore( iface );

    HRESULT hr;

    TRACE( "%p, %lu, %p, %s, %#lx, %p, %p.\n", iface, entry_size, entry, debugstr_guid(iid), flags, obj_type, unk );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    hr = logon_open_entry( store->logon, entry_size, entry, 0, iid, flags, obj_type, unk );
    logon_leave( store->logon );
    return hr;
}

/* ------------------------------------------------------------------ */
/* receive folders: the PST's receive folder table (NID 0x62b, columns
 * PR_MESSAGE_CLASS and 0x6605, the folder's NID), which Outlook keeps and
 * the engine writes (pst_store_set_receive_folder) */

#define RECEIVE_FOLDER_NID     PST_NID_MAKE(0x31, PST_NID_TYPE_RECEIVE_FOLDER_TABLE)
#define RECEIVE_FOLDER_COLUMN  PROP_TAG(PT_LONG, 0x6605)
#define MAX_MESSAGE_CLASS      255

struct receive_row
{
    WCHAR *msg_class;          /* "" for the default */
    uint32_t nid;
    uint32_t row_id;
};

static void receive_rows_free( struct receive_row *rows, ULONG count )
{
    ULONG i;

    for (i = 0; i < count; i++) free( rows[i].msg_class );
    free( rows );
}

/* Lock held.  Every row naming an existing folder. */
static HRESULT receive_rows_load( struct store_logon *logon, struct receive_row **out, ULONG *out_count )
{
    struct receive_row *rows = NULL;
    struct pst_node_info info;
    struct pst_table *tc;
    struct pst_value value;
    ULONG count = 0, total, r;
    HRESULT hr = S_OK;
    int err;

    *out = NULL;
    *out_count = 0;
    if ((err = pst_table_open( logon->file, RECEIVE_FOLDER_NID, &tc )))
        return err == PST_E_NOT_FOUND ? S_OK : hresult_from_pst( err );
    total = pst_table_row_count( tc );
    if (total && !(rows = calloc( total, sizeof(*rows) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (r = 0; r < total && SUCCEEDED(hr); r++)
    {
        struct receive_row *row = &rows[count];

        if (pst_table_get_cell( tc, r, RECEIVE_FOLDER_COLUMN, &value )) continue;
        row->nid = value.u.l;
        if (PST_NID_TYPE(row->nid) != PST_NID_TYPE_NORMAL_FOLDER || pst_node_get( logon->file, row->nid, &info ))
            continue;
        if (pst_table_row_id( tc, r, &row->row_id )) continue;
        if (!pst_table_get_cell( tc, r, PR_MESSAGE_CLASS_W, &value )) row->msg_class = strdup_pst_unicode( &value );
        else if (!pst_table_get_cell( tc, r, PR_MESSAGE_CLASS_A, &value ))
        {
            char *text = malloc( value.size + 1 );

            if (text)
            {
                memcpy( text, value.bytes, value.size );
                text[value.size] = 0;
                row->msg_class = strdup_a_to_w( text );
                free( text );
            }
        }
        else row->msg_class = wcsdup( L"" );
        if (!row->msg_class) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else count++;
    }
    pst_table_close( tc );
    if (FAILED(hr))
    {
        receive_rows_free( rows, count );
        return hr;
    }
    *out = rows;
    *out_count = count;
    return S_OK;
}

/* A message class argument as a new UTF-16 string ("" for NULL). */
static HRESULT receive_class_arg( const void *arg, ULONG flags, WCHAR **out )
{
    size_t len;

    if (!arg) return (*out = wcsdup( L"" )) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    if (flags & MAPI_UNICODE)
    {
        if (IsBadStringPtrW( arg, MAX_MESSAGE_CLASS + 1 )) return MAPI_E_INVALID_PARAMETER;
        len = wcsnlen( arg, MAX_MESSAGE_CLASS + 1 );
        if (len > MAX_MESSAGE_CLASS) return MAPI_E_INVALID_PARAMETER;
        return (*out = wcsdup( arg )) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (IsBadStringPtrA( arg, MAX_MESSAGE_CLASS + 1 )) return MAPI_E_INVALID_PARAMETER;
    if (strnlen( arg, MAX_MESSAGE_CLASS + 1 ) > MAX_MESSAGE_CLASS) return MAPI_E_INVALID_PARAMETER;
    return (*out = strdup_a_to_w( arg )) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

/* The folder of MSG_CLASS (imsgstore-getreceivefolder.md): the class's
 * own row, else that of its nearest base class ("IPM.Note.Phone", then
 * "IPM.Note", then "IPM"), else the default row ("").  Classes compare
 * without regard to case, as MAPI's message classes do.  A store without
 * a default row falls back to the IPM subtree, since a default receive
 * folder always exists.  Lock held. */
static HRESULT receive_folder_find( struct store_logon *logon, const WCHAR *msg_class, uint32_t *nid,
                                    WCHAR **explicit_class )
{
    struct receive_row *rows;
    ULONG count, i, len = wcslen( msg_class );
    HRESULT hr;

    *explicit_class = NULL;
    if (FAILED(hr = receive_rows_load( logon, &rows, &count ))) return hr;
    for (;;)
    {
        for (i = 0; i < count; i++)
            if (wcslen( rows[i].msg_class ) == len && !wcsnicmp( rows[i].msg_class, msg_class, len )) break;
        if (i < count)
        {
            *nid = rows[i].nid;
            hr = (*explicit_class = wcsdup( rows[i].msg_class )) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        if (!len)
        {
            hr = hresult_from_pst( pst_store_get_special_folder( logon->file, PR_IPM_SUBTREE_ENTRYID, nid ) );
            if (SUCCEEDED(hr) && !(*explicit_class = wcsdup( L"" ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        /* the base class: up to the last dot, or the default */
        while (len && msg_class[len - 1] != '.') len--;
        if (len) len--;
    }
    receive_rows_free( rows, count );
    return hr;
}

/* A folder entry ID of this store naming an existing folder. */
static HRESULT receive_folder_parse( struct store_logon *logon, ULONG size, const ENTRYID *entry, uint32_t *nid )
{
    struct pst_node_info info;
    uint8_t uid[16];

    if (pst_entryid_parse( (const uint8_t *)entry, size, uid, nid ) || memcmp( uid, logon->uid, sizeof(uid) ))
        return MAPI_E_INVALID_ENTRYID;
    if (PST_NID_TYPE(*nid) != PST_NID_TYPE_NORMAL_FOLDER) return MAPI_E_INVALID_ENTRYID;
    if (pst_node_get( logon->file, *nid, &info )) return MAPI_E_NOT_FOUND;
    return S_OK;
}

struct receive_write
{
    const WCHAR *msg_class;
    uint32_t nid;
};

static int receive_write( struct pst_file *file, void *context )
{
    struct receive_write *w = context;

    return pst_store_set_receive_folder( file, (const uint16_t *)w->msg_class, wcslen( w->msg_class ), w->nid );
}

static HRESULT WINAPI store_SetReceiveFolder( IMsgStore *iface, LPSTR message_class, ULONG flags,
                                              ULONG entry_size, ENTRYID *entry )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    struct receive_write w = { NULL, 0 };
    WCHAR *msg_class = NULL;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %lu, %p.\n", iface, message_class, flags, entry_size, entry );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (entry_size && !entry) hr = MAPI_E_INVALID_PARAMETER;
    else if (FAILED(hr = receive_class_arg( message_class, flags, &msg_class ))) ;
    else if (!logon->writable) hr = MAPI_E_NO_ACCESS;
    else if (entry && FAILED(hr = receive_folder_parse( logon, entry_size, entry, &w.nid ))) ;
    /* no folder: the class goes back to its base classes' folder; the
     * default class keeps its folder, which always exists */
    else if (!w.nid && !msg_class[0]) hr = S_OK;
    else
    {
        w.msg_class = msg_class;
        hr = store_logon_transact( logon, receive_write, &w );
        if (hr == MAPI_E_NO_SUPPORT) FIXME( "the receive folder table of this file is not writable.\n" );
    }
    logon_leave( logon );
    free( msg_class );
    return hr;
}

/* A MAPI string of the caller's type in the chain of PARENT (or a new
 * buffer when PARENT is NULL). */
static HRESULT receive_string_out( const struct mapi_allocators *alloc, void *parent, const WCHAR *str, BOOL unicode,
                                   void **out )
{
    HRESULT hr;
    int len;

    if (unicode) len = (wcslen( str ) + 1) * sizeof(WCHAR);
    else len = WideCharToMultiByte( CP_ACP, 0, str, -1, NULL, 0, NULL, NULL );
    if (parent) hr = alloc->allocate_more( len, parent, out );
    else hr = alloc->allocate_buffer( len, out );
    if (FAILED(hr)) return hr;
    if (unicode) memcpy( *out, str, len );
    else WideCharToMultiByte( CP_ACP, 0, str, -1, *out, len, NULL, NULL );
    return S_OK;
}

static HRESULT WINAPI store_GetReceiveFolder( IMsgStore *iface, LPSTR message_class, ULONG flags,
                                              ULONG *entry_size, ENTRYID **entry, LPSTR *explicit_class )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    WCHAR *msg_class = NULL, *found = NULL;
    void *class_out = NULL;
    ENTRYID *entryid = NULL;
    uint32_t nid = 0;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %p, %p, %p.\n", iface, message_class, flags, entry_size, entry, explicit_class );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!entry_size || !entry) hr = MAPI_E_INVALID_PARAMETER;
    else if (SUCCEEDED(hr = receive_class_arg( message_class, flags, &msg_class ))
             && SUCCEEDED(hr = receive_folder_find( logon, msg_class, &nid, &found ))
             && SUCCEEDED(hr = logon->alloc.allocate_buffer( PST_ENTRYID_SIZE, (void **)&entryid )))
    {
        pst_entryid_format( logon->uid, nid, (uint8_t *)entryid );
        if (explicit_class
                && FAILED(hr = receive_string_out( &logon->alloc, NULL, found, !!(flags & MAPI_UNICODE), &class_out )))
        {
            logon->alloc.free_buffer( entryid );
            entryid = NULL;
        }
    }
    logon_leave( logon );
    free( msg_class );
    free( found );
    if (FAILED(hr)) return hr;
    *entry_size = PST_ENTRYID_SIZE;
    *entry = entryid;
    if (explicit_class) *explicit_class = class_out;
    return S_OK;
}

static HRESULT WINAPI store_GetReceiveFolderTable( IMsgStore *iface, ULONG flags, IMAPITable **table )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    BOOL unicode = !!(flags & MAPI_UNICODE);
    SizedSPropTagArray(4, columns) = { 4, { PR_INSTANCE_KEY, PR_ENTRYID, PR_RECORD_KEY,
                                            unicode ? PR_MESSAGE_CLASS_W : PR_MESSAGE_CLASS_A } };
    struct receive_row *rows = NULL;
    ITableData *data = NULL;
    ULONG count = 0, i;
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~(MAPI_DEFERRED_ERRORS | MAPI_UNICODE)) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!table) hr = MAPI_E_INVALID_PARAMETER;
    else if (SUCCEEDED(hr = receive_rows_load( logon, &rows, &count )))
        hr = CreateTable( &IID_IMAPITableData, logon->alloc.allocate_buffer, logon->alloc.allocate_more,
                          logon->alloc.free_buffer, NULL, TBLTYPE_SNAPSHOT, PR_INSTANCE_KEY,
                          (SPropTagArray *)&columns, &data );
    for (i = 0; i < count && SUCCEEDED(hr); i++)
    {
        BYTE entryid[PST_ENTRYID_SIZE];
        SPropValue props[4];
        SRow row;

        pst_entryid_format( logon->uid, rows[i].nid, entryid );
        props[0].ulPropTag = PR_INSTANCE_KEY;
        props[0].Value.bin.cb = sizeof(rows[i].row_id);
        props[0].Value.bin.lpb = (BYTE *)&rows[i].row_id;
        props[1].ulPropTag = PR_ENTRYID;
        props[1].Value.bin.cb = sizeof(entryid);
        props[1].Value.bin.lpb = entryid;
        /* a folder's record key is its entry ID (folder.c) */
        props[2].ulPropTag = PR_RECORD_KEY;
        props[2].Value.bin = props[1].Value.bin;
        props[3].ulPropTag = columns.aulPropTag[3];
        if (unicode) props[3].Value.lpszW = rows[i].msg_class;
        else if (FAILED(hr = receive_string_out( &logon->alloc, NULL, rows[i].msg_class, FALSE,
                                                 (void **)&props[3].Value.lpszA )))
            break;
        row.ulAdrEntryPad = 0;
        row.cValues = ARRAY_SIZE(props);
        row.lpProps = props;
        hr = ITableData_HrModifyRow( data, &row );
        if (!unicode) logon->alloc.free_buffer( props[3].Value.lpszA );
    }
    receive_rows_free( rows, count );
    if (SUCCEEDED(hr)) hr = table_view_create( logon, data, table );
    if (data) ITableData_Release( data );
    logon_leave( logon );
    return hr;
}

#define LOGOFF_INPUT_FLAGS (LOGOFF_NO_WAIT | LOGOFF_ORDERLY | LOGOFF_PURGE | LOGOFF_ABORT | LOGOFF_QUIET)

static HRESULT WINAPI store_StoreLogoff( IMsgStore *iface, ULONG *flags )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    ULONG input;

    TRACE( "%p, %p.\n", iface, flags );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (!flags)
    {
        logon_leave( logon );
        return MAPI_E_INVALID_PARAMETER;
    }
    input = *flags;
    if (input & ~LOGOFF_INPUT_FLAGS)
    {
        logon_leave( logon );
        return MAPI_E_UNKNOWN_FLAGS;
    }
    /* exactly one of the mutually exclusive flags */
    if (!input || (input & (input - 1)))
    {
        logon_leave( logon );
        return MAPI_E_INVALID_PARAMETER;
    }
    TRACE( "saving logoff flags %#lx.\n", input );
    /* MAPI hears of them in the store's final Release (R5.5); with no
     * transport activity the logoff is complete, and the store takes
     * nothing but Release from now on (R5.2) */
    logon->logoff_flags = input;
    store->logged_off = TRUE;
    *flags = LOGOFF_COMPLETE;
    logon_leave( logon );
    return S_OK;
}

/* A message entry ID of this store (normal or FAI); lock held.  Only the
 * format is checked: a deleted message is not in any queue either. */
static HRESULT store_message_entryid( struct store_logon *logon, ULONG size, const ENTRYID *entry )
{
    uint8_t uid[16];
    uint32_t nid;

    if (!entry || pst_entryid_parse( (const uint8_t *)entry, size, uid, &nid )
            || memcmp( uid, logon->uid, sizeof(uid) ))
        return MAPI_E_INVALID_ENTRYID;
    if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_MESSAGE && PST_NID_TYPE(nid) != PST_NID_TYPE_ASSOC_MESSAGE)
        return MAPI_E_INVALID_ENTRYID;
    return S_OK;
}

/* A folder entry ID of this store; lock held. */
static HRESULT store_folder_entryid( struct store_logon *logon, ULONG size, const ENTRYID *entry )
{
    uint8_t uid[16];
    uint32_t nid;

    if (!entry || pst_entryid_parse( (const uint8_t *)entry, size, uid, &nid )
            || memcmp( uid, logon->uid, sizeof(uid) ))
        return MAPI_E_INVALID_ENTRYID;
    if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_FOLDER && PST_NID_TYPE(nid) != PST_NID_TYPE_SEARCH_FOLDER)
        return MAPI_E_INVALID_ENTRYID;
    return S_OK;
}

static HRESULT WINAPI store_AbortSubmit( IMsgStore *iface, ULONG entry_size, ENTRYID *entry, ULONG flags )
{
    struct store *store = impl_from_IMsgStore( iface );
    HRESULT hr;

    TRACE( "%p, %lu, %p, %#lx.\n", iface, entry_size, entry, flags );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (flags) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (FAILED(hr = store_message_entryid( store->logon, entry_size, entry ))) ;
    /* SubmitMessage is not supported (no STORE_SUBMIT_OK): nothing is ever
     * in the outgoing queue */
    else hr = MAPI_E_NOT_IN_QUEUE;
    logon_leave( store->logon );
    return hr;
}

/* Nothing is ever queued without a spooler: an empty table with the
 * documented columns (outgoing-queue-tables.md); the flags are reserved,
 * so its strings are ANSI. */
static HRESULT WINAPI store_GetOutgoingQueue( IMsgStore *iface, ULONG flags, IMAPITable **table )
{
    static const SizedSPropTagArray(12, columns) =
    {
        12,
        {
            PR_INSTANCE_KEY, PR_ENTRYID, PR_CLIENT_SUBMIT_TIME, PR_DISPLAY_BCC_A, PR_DISPLAY_CC_A, PR_DISPLAY_TO_A,
            PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_PRIORITY, PR_SENDER_NAME_A, PR_SUBJECT_A, PR_SUBMIT_FLAGS,
        }
    };
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    ITableData *data = NULL;
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (flags) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (!table) hr = MAPI_E_INVALID_PARAMETER;
    else if (SUCCEEDED(hr = CreateTable( &IID_IMAPITableData, logon->alloc.allocate_buffer,
                                         logon->alloc.allocate_more, logon->alloc.free_buffer, NULL,
                                         TBLTYPE_SNAPSHOT, PR_INSTANCE_KEY, (SPropTagArray *)&columns, &data )))
    {
        hr = table_view_create( logon, data, table );
        ITableData_Release( data );
    }
    logon_leave( logon );
    return hr;
}

static HRESULT WINAPI store_SetLockState( IMsgStore *iface, IMessage *message, ULONG state )
{
    struct store *store = impl_from_IMsgStore( iface );

    TRACE( "%p, %p, %#lx.\n", iface, message, state );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    logon_leave( store->logon );
    /* only the spooler locks messages, and there is none */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_FinishedMsg( IMsgStore *iface, ULONG flags, ULONG entry_size, ENTRYID *entry )
{
    struct store *store = impl_from_IMsgStore( iface );

    TRACE( "%p, %#lx, %lu, %p.\n", iface, flags, entry_size, entry );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    logon_leave( store->logon );
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    /* imsgstore-finishedmsg.md: MAPI_E_NO_SUPPORT "if the caller is not the
     * MAPI spooler".  There is no spooler, so no caller is; nor could a
     * message be locked for it (SetLockState) or have been submitted. */
    return MAPI_E_NO_SUPPORT;
}

/* imsgstore-notifynewmail.md: the new mail notification goes to every
 * client that advised the store for fnevNewMail with no entry ID, i.e. on
 * the store's UID (logon_advise).  Any caller may raise it (there is no
 * spooler to tell apart); it must describe a message of this store in a
 * folder of this store. */
static HRESULT WINAPI store_NotifyNewMail( IMsgStore *iface, NOTIFICATION *notification )
{
    struct store *store = impl_from_IMsgStore( iface );
    struct store_logon *logon = store->logon;
    BYTE buffer[FIELD_OFFSET(NOTIFKEY, ab[16])];
    NOTIFKEY *key = (NOTIFKEY *)buffer;
    const NEWMAIL_NOTIFICATION *newmail;
    IMAPISupport *support;
    ULONG flags = 0;
    HRESULT hr;

    TRACE( "%p, %p.\n", iface, notification );

    if (!store_enter( store )) return MAPI_E_INVALID_OBJECT;
    if (!notification || notification->ulEventType != fnevNewMail)
    {
        logon_leave( logon );
        return MAPI_E_INVALID_PARAMETER;
    }
    newmail = &notification->info.newmail;
    if (newmail->ulFlags & ~MAPI_UNICODE) hr = MAPI_E_UNKNOWN_FLAGS;
    else if (FAILED(hr = store_message_entryid( logon, newmail->cbEntryID, newmail->lpEntryID ))) ;
    else hr = store_folder_entryid( logon, newmail->cbParentID, newmail->lpParentID );
    if (FAILED(hr))
    {
        logon_leave( logon );
        return hr;
    }
    key->cb = sizeof(logon->uid);
    memcpy( key->ab, logon->uid, sizeof(logon->uid) );
    support = logon->support;
    IMAPISupport_AddRef( support );
    logon_leave( logon );
    /* the caller's structure goes out as it is: MAPI copies what it keeps */
    hr = IMAPISupport_Notify( support, key, 1, notification, &flags );
    IMAPISupport_Release( support );
    return hr;
}

static const IMsgStoreVtbl store_vtbl =
{
    store_QueryInterface,
    store_AddRef,
    store_Release,
    store_GetLastError,
    store_SaveChanges,
    store_GetProps,
    store_GetPropList,
    store_OpenProperty,
    store_SetProps,
    store_DeleteProps,
    store_CopyTo,
    store_CopyProps,
    store_GetNamesFromIDs,
    store_GetIDsFromNames,
    store_Advise,
    store_Unadvise,
    store_CompareEntryIDs,
    store_OpenEntry,
    store_SetReceiveFolder,
    store_GetReceiveFolder,
    store_GetReceiveFolderTable,
    store_StoreLogoff,
    store_AbortSubmit,
    store_GetOutgoingQueue,
    store_SetLockState,
    store_FinishedMsg,
    store_NotifyNewMail,
};
