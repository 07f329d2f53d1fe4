/*
 * IMAPISupport for message store providers, MakeInvalid, wrapped store entry IDs
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

/***********************************************************************
 *              WrapStoreEntryID (winemapix.@)
 *
 * Wraps a provider's store entry ID with the provider DLL name, in the
 * format described above.  ulFlags may hold MAPI_UNICODE, in which case
 * dll_name is a wide string.
 */
HRESULT WINAPI WrapStoreEntryID( ULONG flags, WCHAR *dll_name, ULONG size, ENTRYID *entry, ULONG *wrapped_size,
                                 ENTRYID **wrapped )
{
    char *name;
    HRESULT hr;
    int len;

    TRACE( "%#lx, %p, %lu, %p, %p, %p.\n", flags, dll_name, size, entry, wrapped_size, wrapped );

    if (!dll_name || !entry || !wrapped_size || !wrapped) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!(flags & MAPI_UNICODE)) return wrap_store_entryid( (char *)dll_name, 0, size, entry, wrapped_size, wrapped );

    len = WideCharToMultiByte( CP_ACP, 0, dll_name, -1, NULL, 0, NULL, NULL );
    if (!(name = malloc( len ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    WideCharToMultiByte( CP_ACP, 0, dll_name, -1, name, len, NULL, NULL );
    hr = wrap_store_entryid( name, 0, size, entry, wrapped_size, wrapped );
    free( name );
    return hr;
}

/*
 * MakeInvalid (Q10): the object's vtable pointer is replaced with a table of
 * stubs and its reference count is kept in the object itself, right after
 * that pointer.  At zero the object is given to MAPIFreeBuffer, which
 * ignores memory it did not allocate.
 *
 * Every slot after the IUnknown ones shares one stub.  That is only safe
 * where the caller pops the arguments, as on x86_64; a stdcall caller on
 * i386 would need a stub per argument count.
 */
struct invalid_object
{
    const void **vtbl;
    LONG refcount;
};

#define INVALID_VTBL_SIZE 256

static HRESULT WINAPI invalid_QueryInterface( struct invalid_object *object, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", object, debugstr_guid(riid), out );

    if (out) *out = NULL;
    return MAPI_E_INVALID_OBJECT;
}

static ULONG WINAPI invalid_AddRef( struct invalid_object *object )
{
    ULONG refcount = InterlockedIncrement( &object->refcount );

    TRACE( "%p, refcount %lu.\n", object, refcount );
    return refcount;
}

static ULONG WINAPI invalid_Release( struct invalid_object *object )
{
    ULONG refcount = InterlockedDecrement( &object->refcount );

    TRACE( "%p, refcount %lu.\n", object, refcount );
    if (!refcount) MAPIFreeBuffer( object );
    return refcount;
}

static HRESULT WINAPI invalid_method( void *object )
{
    TRACE( "%p.\n", object );
    return MAPI_E_INVALID_OBJECT;
}

static const void *invalid_vtbl[INVALID_VTBL_SIZE];
static INIT_ONCE invalid_vtbl_once = INIT_ONCE_STATIC_INIT;

static BOOL WINAPI init_invalid_vtbl( INIT_ONCE *once, void *param, void **context )
{
    unsigned int i;

    invalid_vtbl[0] = invalid_QueryInterface;
    invalid_vtbl[1] = invalid_AddRef;
    invalid_vtbl[2] = invalid_Release;
    for (i = 3; i < INVALID_VTBL_SIZE; i++) invalid_vtbl[i] = invalid_method;
    return TRUE;
}

static HRESULT make_invalid( ULONG flags, void *object, ULONG refcount, ULONG method_count )
{
    struct invalid_object *invalid = object;

    if (!object || method_count < 3) return MAPI_E_INVALID_PARAMETER;
    if (method_count > INVALID_VTBL_SIZE) FIXME( "%lu methods, only %u stubbed.\n", method_count, INVALID_VTBL_SIZE );

    if (!refcount)
    {
        MAPIFreeBuffer( object );
        return S_OK;
    }
    InitOnceExecuteOnce( &invalid_vtbl_once, init_invalid_vtbl, NULL, NULL );
    invalid->vtbl = invalid_vtbl;
    invalid->refcount = refcount;
    return S_OK;
}

/*
 * The notification engine behind Subscribe / Unsubscribe / Notify.
 * Subscriptions are matched on the bytes of their NOTIFKEY and delivered
 * synchronously on the notifying thread.
 */
struct subscription
{
    struct subscription *next;
    struct mapi_support *owner;
    ULONG_PTR connection;
    ULONG event_mask;
    ULONG flags;
    IMAPIAdviseSink *sink;
    NOTIFKEY *key;
};

static struct subscription *subscriptions;
static ULONG_PTR next_connection = 1;
static CRITICAL_SECTION notify_cs;
static CRITICAL_SECTION_DEBUG notify_cs_debug =
{
    0, 0, &notify_cs,
    { &notify_cs_debug.ProcessLocksList, &notify_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": notify_cs") }
};
static CRITICAL_SECTION notify_cs = { &notify_cs_debug, -1, 0, 0, 0, 0 };

struct mapi_support
{
    IMAPISupport IMAPISupport_iface;
    LONG refcount;
    struct store_logon *logon;
    struct provider_module *module;
    char *dll_name;
    WCHAR *profile;
    MAPIUID section;
    BOOL has_section;
    /* the session's status tables and this logon's row in them */
    ITableData *status[2];
    MAPIUID row_key;
    BOOL has_row;
    /* the session's store providers, for routing OpenEntry; valid while logon is */
    struct store_provider **providers;
};

/* Remove every subscription of owner, or only the one with connection if it is non-zero. */
static HRESULT unsubscribe( struct mapi_support *owner, ULONG_PTR connection )
{
    struct subscription **entry, *sub;
    HRESULT hr = MAPI_E_NOT_FOUND;

    for (;;)
    {
        EnterCriticalSection( &notify_cs );
        for (entry = &subscriptions; *entry; entry = &(*entry)->next)
            if ((*entry)->owner == owner && (!connection || (*entry)->connection == connection)) break;
        if (!(sub = *entry))
        {
            LeaveCriticalSection( &notify_cs );
            return hr;
        }
        *entry = sub->next;
        LeaveCriticalSection( &notify_cs );

        /* the sink may call back into MAPI, so release it outside the lock */
        if (sub->sink) IMAPIAdviseSink_Release( sub->sink );
        free( sub->key );
        free( sub );
        hr = S_OK;
        if (connection) return hr;
    }
}

static void support_remove_status( struct mapi_support *support )
{
    SPropValue key;
    unsigned int i;

    if (support->has_row)
    {
        key.ulPropTag = PR_INSTANCE_KEY;
        key.Value.bin.cb = sizeof(support->row_key);
        key.Value.bin.lpb = (BYTE *)&support->row_key;
        session_tables_delete_row( support->status, &key );
        support->has_row = FALSE;
    }
    for (i = 0; i < ARRAY_SIZE(support->status); i++)
    {
        if (support->status[i]) ITableData_Release( support->status[i] );
        support->status[i] = NULL;
    }
}

static inline struct mapi_support *impl_from_IMAPISupport( IMAPISupport *iface )
{
    return CONTAINING_RECORD( iface, struct mapi_support, IMAPISupport_iface );
}

static HRESULT WINAPI support_QueryInterface( IMAPISupport *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (IsEqualIID( riid, &IID_IUnknown ) || IsEqualIID( riid, &IID_IMAPISupport ))
    {
        *out = iface;
        IMAPISupport_AddRef( iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI support_AddRef( IMAPISupport *iface )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );
    ULONG refcount = InterlockedIncrement( &support->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI support_Release( IMAPISupport *iface )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );
    ULONG refcount = InterlockedDecrement( &support->refcount );
    struct store_logon *logon;

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        addrbook_owner_ended( support );
        unsubscribe( support, 0 );
        /* R4.8 step 2 */
        support_remove_status( support );
        /* R4.8 / R4.10: the logon record decides whether IMSLogon::Logoff is
         * still due.  The object stays allocated while that runs, since the
         * provider may still call methods that need no logon. */
        if ((logon = support->logon))
        {
            support->logon = NULL;
            store_logon_support_released( logon );
        }
        provider_module_release( support->module );
        free( support->dll_name );
        free( support->profile );
        free( support );
    }
    return refcount;
}

/* The logon record is going away while the provider still holds the support object. */
void support_detach( struct mapi_support *support )
{
    TRACE( "%p.\n", support );
    support->logon = NULL;
    addrbook_owner_ended( support );
    support_remove_status( support );
}

static HRESULT WINAPI support_GetLastError( IMAPISupport *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI support_GetMemAllocRoutines( IMAPISupport *iface, LPALLOCATEBUFFER *allocate_buffer,
                                                   LPALLOCATEMORE *allocate_more, LPFREEBUFFER *free_buffer )
{
    TRACE( "%p, %p, %p, %p.\n", iface, allocate_buffer, allocate_more, free_buffer );

    if (allocate_buffer) *allocate_buffer = MAPIAllocateBuffer;
    if (allocate_more) *allocate_more = MAPIAllocateMore;
    if (free_buffer) *free_buffer = MAPIFreeBuffer;
    return S_OK;
}

static HRESULT WINAPI support_Subscribe( IMAPISupport *iface, NOTIFKEY *key, ULONG event_mask, ULONG flags,
                                         IMAPIAdviseSink *sink, ULONG_PTR *connection )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );
    struct subscription *sub;

    TRACE( "%p, %p, %#lx, %#lx, %p, %p.\n", iface, key, event_mask, flags, sink, connection );

    if (!support->logon) return MAPI_E_INVALID_OBJECT;
    if (!key || !sink || !connection) return MAPI_E_INVALID_PARAMETER;
    if (!(sub = calloc( 1, sizeof(*sub) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(sub->key = malloc( CbNOTIFKEY( key ) )))
    {
        free( sub );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy( sub->key, key, CbNOTIFKEY( key ) );
    sub->owner = support;
    sub->event_mask = event_mask;
    sub->flags = flags;
    sub->sink = sink;
    IMAPIAdviseSink_AddRef( sink );

    EnterCriticalSection( &notify_cs );
    sub->connection = next_connection++;
    sub->next = subscriptions;
    subscriptions = sub;
    *connection = sub->connection;
    LeaveCriticalSection( &notify_cs );
    return S_OK;
}

static HRESULT WINAPI support_Unsubscribe( IMAPISupport *iface, ULONG_PTR connection )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );

    TRACE( "%p, %Iu.\n", iface, connection );

    if (!connection) return MAPI_E_INVALID_PARAMETER;
    return unsubscribe( support, connection );
}

struct delivery
{
    IMAPIAdviseSink **sinks;
    unsigned int sink_count;
    ULONG count;
    NOTIFICATION *notifications;
};

static void deliver( void *arg )
{
    struct delivery *delivery = arg;
    unsigned int i;
    ULONG j;

    for (i = 0; i < delivery->sink_count; i++)
    {
        for (j = 0; j < delivery->count; j++)
            IMAPIAdviseSink_OnNotify( delivery->sinks[i], 1, &delivery->notifications[j] );
        IMAPIAdviseSink_Release( delivery->sinks[i] );
    }
    free( delivery->sinks );
    free( delivery->notifications );
    free( delivery );
}

/* Hands the sinks and a copy of the notifications to the notification thread. */
static BOOL queue_delivery( IMAPIAdviseSink **sinks, unsigned int sink_count, ULONG count,
                            NOTIFICATION *notifications )
{
    struct delivery *delivery;
    ULONG size;

    if (FAILED(ScCountNotifications( count, notifications, &size ))) return FALSE;
    if (!(delivery = calloc( 1, sizeof(*delivery) ))) return FALSE;
    if (!(delivery->notifications = malloc( size ))
            || FAILED(ScCopyNotifications( count, notifications, delivery->notifications, NULL )))
    {
        free( delivery->notifications );
        free( delivery );
        return FALSE;
    }
    delivery->sinks = sinks;
    delivery->sink_count = sink_count;
    delivery->count = count;
    if (mapix_notify_queue( deliver, delivery )) return TRUE;
    free( delivery->notifications );
    free( delivery );
    return FALSE;
}

static HRESULT WINAPI support_Notify( IMAPISupport *iface, NOTIFKEY *key, ULONG count,
                                      NOTIFICATION *notifications, ULONG *flags )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );
    IMAPIAdviseSink **sinks = NULL, **new_sinks;
    unsigned int sink_count = 0, i, j;
    struct subscription *sub;
    BOOL sync = FALSE;
    ULONG mask = 0;

    TRACE( "%p, %p, %lu, %p, %p.\n", iface, key, count, notifications, flags );

    if (!support->logon) return MAPI_E_INVALID_OBJECT;
    if (!key || !count || !notifications || !flags) return MAPI_E_INVALID_PARAMETER;

    for (i = 0; i < count; i++) mask |= notifications[i].ulEventType;

    /* collect the sinks under the lock, call them outside it */
    EnterCriticalSection( &notify_cs );
    for (sub = subscriptions; sub; sub = sub->next)
    {
        if (!(sub->event_mask & mask) || sub->key->cb != key->cb || memcmp( sub->key->ab, key->ab, key->cb ))
            continue;
        if (!(new_sinks = realloc( sinks, (sink_count + 1) * sizeof(*sinks) ))) break;
        sinks = new_sinks;
        sinks[sink_count++] = sub->sink;
        IMAPIAdviseSink_AddRef( sub->sink );
        if (sub->flags & NOTIFY_SYNC) sync = TRUE;
    }
    LeaveCriticalSection( &notify_cs );

    /* with MAPI_MULTITHREAD_NOTIFICATIONS the thread delivers a copy; a
     * NOTIFY_SYNC subscriber still gets its call before Notify returns */
    if (sink_count && !sync && queue_delivery( sinks, sink_count, count, notifications ))
    {
        *flags = 0;
        return S_OK;
    }
    for (i = 0; i < sink_count; i++)
    {
        for (j = 0; j < count; j++)
            IMAPIAdviseSink_OnNotify( sinks[i], 1, &notifications[j] );
        IMAPIAdviseSink_Release( sinks[i] );
    }
    free( sinks );
    *flags = 0;
    return S_OK;
}

/* The columns MAPI computes (status-tables.md) come after the provider's, so they win. */
static HRESULT WINAPI support_ModifyStatusRow( IMAPISupport *iface, ULONG count, SPropValue *columns, ULONG flags )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );
    struct status_entryid entryid;
    SPropValue *props;
    ULONG resource_flags = 0, total, i, j;
    BYTE *data;
    DWORD size;
    HRESULT hr;

    TRACE( "%p, %lu, %p, %#lx.\n", iface, count, columns, flags );

    if (!support->logon) return MAPI_E_INVALID_OBJECT;
    if (!columns || !count) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~STATUSROW_UPDATE) return MAPI_E_UNKNOWN_FLAGS;
    if (!support->status[0]) return S_OK;
    if ((flags & STATUSROW_UPDATE) && !support->has_row) return MAPI_E_NOT_FOUND;

    if (!support->has_row)
    {
        if (support->has_section) support->row_key = support->section;
        else if (FAILED(CoCreateGuid( (GUID *)&support->row_key ))) return MAPI_E_CALL_FAILED;
    }
    if (support->has_section && SUCCEEDED(profile_section_read( support->profile, &support->section,
                                                                PR_RESOURCE_FLAGS, &data, &size )))
    {
        if (size == sizeof(ULONG)) memcpy( &resource_flags, data, sizeof(ULONG) );
        free( data );
    }

    if (!(props = calloc( count + 7, sizeof(*props) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    for (i = total = 0; i < count; i++)
    {
        /* the ones MAPI computes are not the provider's to set */
        switch (PROP_ID(columns[i].ulPropTag))
        {
        case PROP_ID(PR_INSTANCE_KEY):
        case PROP_ID(PR_ROWID):
        case PROP_ID(PR_OBJECT_TYPE):
        case PROP_ID(PR_ENTRYID):
        case PROP_ID(PR_PROVIDER_DLL_NAME_A):
        case PROP_ID(PR_RESOURCE_TYPE):
        case PROP_ID(PR_RESOURCE_FLAGS):
            continue;
        }
        for (j = 0; j < total; j++)
            if (PROP_ID(props[j].ulPropTag) == PROP_ID(columns[i].ulPropTag)) break;
        props[j] = columns[i];
        if (j == total) total++;
    }
    props[total].ulPropTag = PR_INSTANCE_KEY;
    props[total].Value.bin.cb = sizeof(support->row_key);
    props[total++].Value.bin.lpb = (BYTE *)&support->row_key;
    status_entryid_init( &entryid, &support->row_key );
    props[total].ulPropTag = PR_ENTRYID;
    props[total].Value.bin.cb = sizeof(entryid);
    props[total++].Value.bin.lpb = (BYTE *)&entryid;
    props[total].ulPropTag = PR_OBJECT_TYPE;
    props[total++].Value.l = MAPI_STATUS;
    props[total].ulPropTag = PR_PROVIDER_DLL_NAME_A;
    props[total++].Value.lpszA = support->dll_name;
    props[total].ulPropTag = PR_RESOURCE_TYPE;
    props[total++].Value.l = MAPI_STORE_PROVIDER;
    props[total].ulPropTag = PR_RESOURCE_FLAGS;
    props[total++].Value.l = resource_flags;

    if (flags & STATUSROW_UPDATE)
        hr = session_tables_merge_row( support->status, &props[total - 6], props, total );
    else
        hr = session_tables_set_row( support->status, props, total );
    if (SUCCEEDED(hr)) support->has_row = TRUE;
    free( props );
    return hr;
}

/* Whether the status table row with ROW_KEY is this logon's. */
BOOL support_owns_status_row( struct mapi_support *support, const MAPIUID *row_key )
{
    return support->has_row && !memcmp( &support->row_key, row_key, sizeof(*row_key) );
}

static HRESULT WINAPI support_OpenProfileSection( IMAPISupport *iface, MAPIUID *uid, ULONG flags,
                                                  IProfSect **section )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );

    TRACE( "%p, %p, %#lx, %p.\n", iface, uid, flags, section );

    if (!support->logon) return MAPI_E_INVALID_OBJECT;
    if (!section) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_MODIFY | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    *section = NULL;
    /* NULL means the provider's own section */
    if (!uid && !support->has_section) return MAPI_E_NOT_FOUND;
    if (!support->profile) return MAPI_E_NOT_FOUND;
    return profsect_create( NULL, support->profile, uid ? uid : &support->section, flags & MAPI_MODIFY, section );
}

static HRESULT WINAPI support_RegisterPreprocessor( IMAPISupport *iface, MAPIUID *uid, WCHAR *address_type,
                                                    WCHAR *dll_name, char *preprocess, char *remove_info,
                                                    ULONG flags )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_NewUID( IMAPISupport *iface, MAPIUID *uid )
{
    TRACE( "%p, %p.\n", iface, uid );

    if (!uid) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(CoCreateGuid( (GUID *)uid ))) return MAPI_E_CALL_FAILED;
    return S_OK;
}

static HRESULT WINAPI support_MakeInvalid( IMAPISupport *iface, ULONG flags, void *object, ULONG refcount,
                                           ULONG method_count )
{
    TRACE( "%p, %#lx, %p, %lu, %lu.\n", iface, flags, object, refcount, method_count );
    return make_invalid( flags, object, refcount, method_count );
}

static HRESULT WINAPI support_SpoolerYield( IMAPISupport *iface, ULONG flags )
{
    TRACE( "%p, %#lx.\n", iface, flags );
    return S_OK;
}

static HRESULT WINAPI support_SpoolerNotify( IMAPISupport *iface, ULONG flags, void *data )
{
    TRACE( "%p, %#lx, %p.\n", iface, flags, data );
    /* there is no spooler: every store acts as if MDB_NO_MAIL were set */
    return S_OK;
}

static HRESULT WINAPI support_CreateOneOff( IMAPISupport *iface, WCHAR *name, WCHAR *address_type,
                                            WCHAR *address, ULONG flags, ULONG *entry_size, ENTRYID **entry )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );

    TRACE( "%p, %p, %p, %p, %#lx, %p, %p.\n", iface, name, address_type, address, flags, entry_size, entry );

    if (!support->logon) return MAPI_E_INVALID_OBJECT;
    return addrbook_create_one_off( name, address_type, address, flags, entry_size, entry );
}

static HRESULT WINAPI support_SetProviderUID( IMAPISupport *iface, MAPIUID *uid, ULONG flags )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );
    struct store_logon *logon = support->logon;
    MAPIUID *uids;

    TRACE( "%p, %p, %#lx.\n", iface, uid, flags );

    if (!logon) return MAPI_E_INVALID_OBJECT;
    if (!uid) return MAPI_E_INVALID_PARAMETER;
    /* R2.8: duplicates are kept, nothing removes one but the final release */
    if (!(uids = realloc( logon->uids, (logon->uid_count + 1) * sizeof(*uids) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    uids[logon->uid_count++] = *uid;
    logon->uids = uids;
    return S_OK;
}

static HRESULT WINAPI support_CompareEntryIDs( IMAPISupport *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
                                               ENTRYID *entry2, ULONG flags, ULONG *result )
{
    TRACE( "%p, %lu, %p, %lu, %p, %#lx, %p.\n", iface, size1, entry1, size2, entry2, flags, result );

    if (!entry1 || !entry2 || !result) return MAPI_E_INVALID_PARAMETER;
    *result = size1 == size2 && !memcmp( entry1, entry2, size1 );
    return S_OK;
}

static HRESULT WINAPI support_OpenTemplateID( IMAPISupport *iface, ULONG template_size, ENTRYID *template_id,
                                              ULONG template_flags, IMAPIProp *data_source, const IID *iid,
                                              IMAPIProp **prop, IMAPIProp *sibling )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_OpenEntry( IMAPISupport *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
                                         ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );
    struct store_logon *logon;

    TRACE( "%p, %lu, %p, %s, %#lx, %p, %p.\n", iface, entry_size, entry, debugstr_guid(iid), flags,
           obj_type, unk );

    if (!support->logon || !support->providers) return MAPI_E_INVALID_OBJECT;
    if (!entry || !obj_type || !unk) return MAPI_E_INVALID_PARAMETER;
    if (entry_size < FIELD_OFFSET(ENTRYID, ab) + sizeof(MAPIUID)) return MAPI_E_INVALID_ENTRYID;

    /* routed like IMAPISession::OpenEntry, by the MAPIUID in the first bytes of ab (R2.8) */
    if (!(logon = store_logon_from_uid( support->providers, (MAPIUID *)entry->ab )))
        return MAPI_E_UNKNOWN_ENTRYID;
    return IMSLogon_OpenEntry( logon->logon, entry_size, entry, iid, flags, obj_type, unk );
}

/* Called by the provider code right after support_create, from the session's list. */
void support_set_providers( struct mapi_support *support, struct store_provider **providers )
{
    support->providers = providers;
}

static HRESULT WINAPI support_GetOneOffTable( IMAPISupport *iface, ULONG flags, IMAPITable **table )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_Address( IMAPISupport *iface, ULONG_PTR *ui_param, LPADRPARM params,
                                       ADRLIST **list )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_Details( IMAPISupport *iface, ULONG_PTR *ui_param, LPFNDISMISS dismiss,
                                       void *dismiss_context, ULONG entry_size, ENTRYID *entry,
                                       LPFNBUTTON button_callback, void *button_context, WCHAR *button_text,
                                       ULONG flags )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_NewEntry( IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags,
                                        ULONG container_size, ENTRYID *container, ULONG template_size,
                                        ENTRYID *template_id, ULONG *new_size, ENTRYID **new_entry )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_DoConfigPropsheet( IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags,
                                                 WCHAR *title, IMAPITable *display_table, IMAPIProp *config_data,
                                                 ULONG top_page )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static BOOL message_is_associated( IMessage *message )
{
    static const SizedSPropTagArray(1, flags_tag) = { 1, { PR_MESSAGE_FLAGS } };
    SPropValue *value;
    ULONG count;
    BOOL ret;

    if (FAILED(IMessage_GetProps( message, (SPropTagArray *)&flags_tag, 0, &count, &value ))) return FALSE;
    ret = value->ulPropTag == PR_MESSAGE_FLAGS && (value->Value.l & MSGFLAG_ASSOCIATED);
    MAPIFreeBuffer( value );
    return ret;
}

static HRESULT WINAPI support_CopyMessages( IMAPISupport *iface, const IID *src_iid, void *src_folder,
                                            ENTRYLIST *messages, const IID *dest_iid, void *dest_folder,
                                            ULONG_PTR ui_param, IMAPIProgress *progress, ULONG flags )
{
    IMAPIFolder *src, *dest;
    IMessage *message, *copy;
    ENTRYLIST moved;
    BOOL partial = FALSE;
    IUnknown *unk;
    ULONG i, type;
    HRESULT hr;

    TRACE( "%p, %s, %p, %p, %s, %p, %#Ix, %p, %#lx.\n", iface, debugstr_guid(src_iid), src_folder, messages,
           debugstr_guid(dest_iid), dest_folder, ui_param, progress, flags );

    if (!src_iid || !src_folder || !messages || !dest_iid || !dest_folder) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MESSAGE_MOVE | MESSAGE_DIALOG | MAPI_DECLINE_OK)) return MAPI_E_UNKNOWN_FLAGS;
    /* the provider asked to be told at once that MAPI will not do the copy for it */
    if (flags & MAPI_DECLINE_OK) return MAPI_E_DECLINE_COPY;
    if (FAILED(IUnknown_QueryInterface( (IUnknown *)src_folder, src_iid, (void **)&src )))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (FAILED(IUnknown_QueryInterface( (IUnknown *)dest_folder, dest_iid, (void **)&dest )))
    {
        IMAPIFolder_Release( src );
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    moved.cValues = 0;
    if (!(moved.lpbin = calloc( messages->cValues ? messages->cValues : 1, sizeof(*moved.lpbin) )))
    {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }

    for (i = 0; i < messages->cValues; i++)
    {
        hr = IMAPIFolder_OpenEntry( src, messages->lpbin[i].cb, (ENTRYID *)messages->lpbin[i].lpb, &IID_IMessage,
                                    (flags & MESSAGE_MOVE) ? MAPI_MODIFY : 0, &type, &unk );
        if (FAILED(hr))
        {
            partial = TRUE;
            continue;
        }
        message = (IMessage *)unk;
        /* a folder-associated message stays one */
        if (SUCCEEDED(hr = IMAPIFolder_CreateMessage( dest, NULL, message_is_associated( message ) ? MAPI_ASSOCIATED : 0,
                                                      &copy )))
        {
            hr = IMAPISupport_DoCopyTo( iface, &IID_IMessage, message, 0, NULL, NULL, 0, NULL, &IID_IMessage,
                                        copy, 0, NULL );
            if (SUCCEEDED(hr)) hr = IMessage_SaveChanges( copy, 0 );
            IMessage_Release( copy );
        }
        IMessage_Release( message );
        if (FAILED(hr)) partial = TRUE;
        else if (flags & MESSAGE_MOVE) moved.lpbin[moved.cValues++] = messages->lpbin[i];
    }
    hr = S_OK;
    /* only what reached the destination leaves the source */
    if (moved.cValues && FAILED(IMAPIFolder_DeleteMessages( src, &moved, 0, NULL, 0 ))) partial = TRUE;
    if (partial) hr = MAPI_W_PARTIAL_COMPLETION;
    free( moved.lpbin );

done:
    IMAPIFolder_Release( dest );
    IMAPIFolder_Release( src );
    return hr;
}

/* copy_folder's own: the messages stay behind (DoCopyTo excluded IMessage) */
#define COPY_NO_MESSAGES 0x80000000

static BOOL tag_in_list( const SPropTagArray *list, ULONG tag );
static HRESULT copy_prop_values( IMAPIProp *src, IMAPIProp *dest, SPropTagArray *tags, ULONG flags,
                                 SPropProblemArray **problems );

/* what the store computes for a folder, or its name, which CreateFolder already set */
static const SizedSPropTagArray(18, folder_skip_tags) =
{
    18,
    {
        PR_DISPLAY_NAME_W, PR_ENTRYID, PR_RECORD_KEY, PR_INSTANCE_KEY, PR_PARENT_ENTRYID, PR_STORE_ENTRYID,
        PR_STORE_RECORD_KEY, PR_STORE_SUPPORT_MASK, PR_MAPPING_SIGNATURE, PR_OBJECT_TYPE, PR_FOLDER_TYPE,
        PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT, PR_SUBFOLDERS, PR_ACCESS, PR_ACCESS_LEVEL,
        PR_STATUS,
    }
};

/* The PR_ENTRYID of every row of table, as the rows hold them, but those in SKIP. */
static HRESULT query_entry_ids( IMAPITable *table, SRowSet **rows, ENTRYLIST *list, const ENTRYLIST *skip )
{
    static const SizedSPropTagArray(1, entry_tag) = { 1, { PR_ENTRYID } };
    SPropValue *value;
    HRESULT hr;
    ULONG i, j;

    hr = HrQueryAllRows( table, (SPropTagArray *)&entry_tag, NULL, NULL, 0, rows );
    IMAPITable_Release( table );
    if (FAILED(hr)) return hr;
    list->cValues = 0;
    if (!(list->lpbin = calloc( (*rows)->cRows ? (*rows)->cRows : 1, sizeof(*list->lpbin) )))
    {
        FreeProws( *rows );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; i < (*rows)->cRows; i++)
    {
        if (!(value = PpropFindProp( (*rows)->aRow[i].lpProps, (*rows)->aRow[i].cValues, PR_ENTRYID ))) continue;
        for (j = 0; skip && j < skip->cValues; j++)
            if (skip->lpbin[j].cb == value->Value.bin.cb
                && !memcmp( skip->lpbin[j].lpb, value->Value.bin.lpb, value->Value.bin.cb )) break;
        if (!skip || j == skip->cValues) list->lpbin[list->cValues++] = value->Value.bin;
    }
    return S_OK;
}

static HRESULT copy_folder( IMAPISupport *support, IMAPIFolder *parent, ULONG entry_size, ENTRYID *entry,
                            IMAPIFolder *dest, const WCHAR *name, ULONG flags );

/* Copy (MAPI_MOVE: move) the messages of src's contents table, or of its
 * associated contents table, into dest; S_OK or MAPI_W_PARTIAL_COMPLETION. */
static HRESULT copy_folder_messages( IMAPISupport *support, IMAPIFolder *src, IMAPIFolder *dest, BOOL assoc,
                                     ULONG flags )
{
    ENTRYLIST entries, normal = { 0 };
    SRowSet *rows, *normal_rows = NULL;
    IMAPITable *table;
    HRESULT hr = S_OK;

    if (FAILED(IMAPIFolder_GetContentsTable( src, 0, &table ))
        || FAILED(query_entry_ids( table, &normal_rows, &normal, NULL )))
        return MAPI_W_PARTIAL_COMPLETION;
    if (assoc)
    {
        /* a folder without associated contents has nothing to lose; a
         * provider that ignores MAPI_ASSOCIATED hands out its contents
         * table again, whose rows are no associated messages */
        if (FAILED(IMAPIFolder_GetContentsTable( src, MAPI_ASSOCIATED, &table )))
        {
            hr = S_OK;
            goto done;
        }
        if (FAILED(query_entry_ids( table, &rows, &entries, &normal )))
        {
            hr = MAPI_W_PARTIAL_COMPLETION;
            goto done;
        }
    }
    else
    {
        entries = normal;
        rows = NULL;
    }
    if (entries.cValues && IMAPISupport_CopyMessages( support, &IID_IMAPIFolder, src, &entries, &IID_IMAPIFolder,
                                                      dest, 0, NULL, flags & MAPI_MOVE ) != S_OK)
        hr = MAPI_W_PARTIAL_COMPLETION;
    if (rows)
    {
        free( entries.lpbin );
        FreeProws( rows );
    }

done:
    free( normal.lpbin );
    FreeProws( normal_rows );
    return hr;
}

/* Copy (MAPI_MOVE: move) every subfolder of src, with all it holds (COPY_NO_MESSAGES:
 * their subfolders only), into dest; MAPI_E_COLLISION when a name was taken there. */
static HRESULT copy_subfolders( IMAPISupport *support, IMAPIFolder *src, IMAPIFolder *dest, ULONG flags )
{
    HRESULT hr = S_OK, copied;
    BOOL collision = FALSE;
    IMAPITable *table;
    ENTRYLIST entries;
    SRowSet *rows;
    ULONG i;

    if (FAILED(IMAPIFolder_GetHierarchyTable( src, 0, &table ))
        || FAILED(query_entry_ids( table, &rows, &entries, NULL )))
        return MAPI_W_PARTIAL_COMPLETION;
    for (i = 0; i < entries.cValues; i++)
    {
        copied = copy_folder( support, src, entries.lpbin[i].cb, (ENTRYID *)entries.lpbin[i].lpb, dest, NULL,
                              COPY_SUBFOLDERS | (flags & COPY_NO_MESSAGES) );
        if (copied == MAPI_E_COLLISION) collision = TRUE;
        if (copied != S_OK) hr = MAPI_W_PARTIAL_COMPLETION;
        /* only what fully reached the destination leaves the source; the
         * header's IMAPIFolder_DeleteFolder macro calls CreateFolder */
        else if ((flags & MAPI_MOVE)
                 && FAILED(src->lpVtbl->DeleteFolder( src, entries.lpbin[i].cb, (ENTRYID *)entries.lpbin[i].lpb, 0,
                                                      NULL, DEL_FOLDERS | DEL_MESSAGES )))
            hr = MAPI_W_PARTIAL_COMPLETION;
    }
    free( entries.lpbin );
    FreeProws( rows );
    /* the documented answer when a subfolder's name is taken in the destination */
    return collision ? MAPI_E_COLLISION : hr;
}

/* Copy the folder entry of parent into dest under name (or its own); S_OK, MAPI_W_PARTIAL_COMPLETION
 * or the error that stopped it. The source is left as it is. */
static HRESULT copy_folder( IMAPISupport *support, IMAPIFolder *parent, ULONG entry_size, ENTRYID *entry,
                            IMAPIFolder *dest, const WCHAR *name, ULONG flags )
{
    static const SizedSPropTagArray(1, name_tag) = { 1, { PR_DISPLAY_NAME_W } };
    SPropValue *name_value = NULL;
    IMAPIFolder *src, *copy = NULL;
    SPropTagArray *list;
    BOOL partial = FALSE;
    IUnknown *unk;
    ULONG type, count, i, n = 0;
    HRESULT hr;

    hr = IMAPIFolder_OpenEntry( parent, entry_size, entry, &IID_IMAPIFolder, 0, &type, &unk );
    if (FAILED(hr)) return hr;
    src = (IMAPIFolder *)unk;
    if (!name)
    {
        hr = IMAPIFolder_GetProps( src, (SPropTagArray *)&name_tag, MAPI_UNICODE, &count, &name_value );
        if (SUCCEEDED(hr) && name_value->ulPropTag != PR_DISPLAY_NAME_W) hr = MAPI_E_NOT_FOUND;
        if (FAILED(hr)) goto done;
        name = name_value->Value.lpszW;
    }
    /* Wine's mapidefs.h declares the result as a single pointer */
    hr = IMAPIFolder_CreateFolder( dest, FOLDER_GENERIC, (char *)name, NULL, NULL, MAPI_UNICODE,
                                   (IMAPIFolder *)&copy );
    if (FAILED(hr)) goto done;

    if (SUCCEEDED(IMAPIFolder_GetPropList( src, MAPI_UNICODE, &list )))
    {
        for (i = 0; i < list->cValues; i++)
        {
            ULONG tag = list->aulPropTag[i];

            if (PROP_TYPE(tag) == PT_OBJECT || tag_in_list( (SPropTagArray *)&folder_skip_tags, tag )) continue;
            list->aulPropTag[n++] = tag;
        }
        list->cValues = n;
        if (FAILED(copy_prop_values( (IMAPIProp *)src, (IMAPIProp *)copy, list, 0, NULL ))) partial = TRUE;
        MAPIFreeBuffer( list );
    }
    else partial = TRUE;

    if (!(flags & COPY_NO_MESSAGES))
    {
        if (copy_folder_messages( support, src, copy, FALSE, 0 ) != S_OK) partial = TRUE;
        if (copy_folder_messages( support, src, copy, TRUE, 0 ) != S_OK) partial = TRUE;
    }
    if ((flags & COPY_SUBFOLDERS) && copy_subfolders( support, src, copy, flags & COPY_NO_MESSAGES ) != S_OK)
        partial = TRUE;
    hr = partial ? MAPI_W_PARTIAL_COMPLETION : S_OK;

done:
    if (copy) IMAPIFolder_Release( copy );
    MAPIFreeBuffer( name_value );
    IMAPIFolder_Release( src );
    return hr;
}

/* The contents, associated contents and subfolders of a folder, as asked. */
static HRESULT copy_folder_children( IMAPISupport *support, IMAPIProp *src, IMAPIProp *dest, BOOL contents,
                                     BOOL assoc, BOOL hierarchy, BOOL no_messages, ULONG flags )
{
    IMAPIFolder *src_folder, *dest_folder;
    HRESULT hr = S_OK, copied;

    if (!contents && !assoc && !hierarchy) return S_OK;
    if (FAILED(IMAPIProp_QueryInterface( src, &IID_IMAPIFolder, (void **)&src_folder ))) return S_OK;
    if (FAILED(IMAPIProp_QueryInterface( dest, &IID_IMAPIFolder, (void **)&dest_folder )))
    {
        IMAPIFolder_Release( src_folder );
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    if (contents && copy_folder_messages( support, src_folder, dest_folder, FALSE, flags ) != S_OK)
        hr = MAPI_W_PARTIAL_COMPLETION;
    if (assoc && copy_folder_messages( support, src_folder, dest_folder, TRUE, flags ) != S_OK)
        hr = MAPI_W_PARTIAL_COMPLETION;
    if (hierarchy && (copied = copy_subfolders( support, src_folder, dest_folder,
                                                (flags & MAPI_MOVE) | (no_messages ? COPY_NO_MESSAGES : 0) )) != S_OK)
        hr = copied;
    IMAPIFolder_Release( dest_folder );
    IMAPIFolder_Release( src_folder );
    return hr;
}

static HRESULT WINAPI support_CopyFolder( IMAPISupport *iface, const IID *src_iid, void *src_folder,
                                          ULONG entry_size, ENTRYID *entry, const IID *dest_iid,
                                          void *dest_folder, WCHAR *new_name, ULONG_PTR ui_param,
                                          IMAPIProgress *progress, ULONG flags )
{
    IMAPIFolder *src, *dest;
    WCHAR *name = NULL;
    HRESULT hr;
    int len;

    TRACE( "%p, %s, %p, %lu, %p, %s, %p, %s, %#Ix, %p, %#lx.\n", iface, debugstr_guid(src_iid), src_folder,
           entry_size, entry, debugstr_guid(dest_iid), dest_folder,
           (flags & MAPI_UNICODE) ? debugstr_w(new_name) : debugstr_a((char *)new_name), ui_param, progress, flags );

    if (!src_iid || !src_folder || !entry_size || !entry || !dest_folder) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(FOLDER_MOVE | FOLDER_DIALOG | COPY_SUBFOLDERS | MAPI_UNICODE | MAPI_DECLINE_OK))
        return MAPI_E_UNKNOWN_FLAGS;
    if (flags & MAPI_DECLINE_OK) return MAPI_E_DECLINE_COPY;
    if (FAILED(IUnknown_QueryInterface( (IUnknown *)src_folder, src_iid, (void **)&src )))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    /* the documentation reserves the destination's IID (NULL); take it as IMAPIFolder */
    if (FAILED(IUnknown_QueryInterface( (IUnknown *)dest_folder, dest_iid ? dest_iid : &IID_IMAPIFolder,
                                        (void **)&dest )))
    {
        IMAPIFolder_Release( src );
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    if (new_name && !(flags & MAPI_UNICODE))
    {
        len = MultiByteToWideChar( CP_ACP, 0, (char *)new_name, -1, NULL, 0 );
        if (!(name = malloc( len * sizeof(WCHAR) )))
        {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            goto done;
        }
        MultiByteToWideChar( CP_ACP, 0, (char *)new_name, -1, name, len );
    }
    /* a move takes the whole tree */
    hr = copy_folder( iface, src, entry_size, entry, dest, name ? name : new_name,
                      (flags & FOLDER_MOVE) ? COPY_SUBFOLDERS : flags & COPY_SUBFOLDERS );
    /* the source goes only when all of it reached the destination; the header's
     * IMAPIFolder_DeleteFolder macro calls CreateFolder */
    if (hr == S_OK && (flags & FOLDER_MOVE)
        && FAILED(src->lpVtbl->DeleteFolder( src, entry_size, entry, 0, NULL, DEL_FOLDERS | DEL_MESSAGES )))
        hr = MAPI_W_PARTIAL_COMPLETION;
    free( name );

done:
    IMAPIFolder_Release( dest );
    IMAPIFolder_Release( src );
    return hr;
}

static BOOL tag_in_list( const SPropTagArray *list, ULONG tag )
{
    ULONG i;

    /* the exclude list matches by identifier, whatever the type */
    for (i = 0; list && i < list->cValues; i++)
        if (PROP_ID(list->aulPropTag[i]) == PROP_ID(tag)) return TRUE;
    return FALSE;
}

static BOOL iid_in_list( ULONG count, const IID *list, const IID *iid )
{
    ULONG i;

    for (i = 0; list && i < count; i++)
        if (IsEqualIID( &list[i], iid )) return TRUE;
    return FALSE;
}

/* Copy one value too big for GetProps through the two objects' streams. */
static HRESULT copy_prop_stream( IMAPIProp *src, IMAPIProp *dest, ULONG tag )
{
    ULARGE_INTEGER all = { .QuadPart = ~(ULONGLONG)0 };
    IUnknown *in, *out;
    HRESULT hr;

    if (FAILED(hr = IMAPIProp_OpenProperty( src, tag, &IID_IStream, 0, 0, &in ))) return hr;
    hr = IMAPIProp_OpenProperty( dest, tag, &IID_IStream, STGM_WRITE, MAPI_CREATE | MAPI_MODIFY, &out );
    if (SUCCEEDED(hr))
    {
        hr = IStream_CopyTo( (IStream *)in, (IStream *)out, all, NULL, NULL );
        if (SUCCEEDED(hr)) hr = IStream_Commit( (IStream *)out, STGC_DEFAULT );
        IUnknown_Release( out );
    }
    IUnknown_Release( in );
    return hr;
}

static BOOL is_stream_type( ULONG tag )
{
    return PROP_TYPE(tag) == PT_BINARY || PROP_TYPE(tag) == PT_STRING8 || PROP_TYPE(tag) == PT_UNICODE;
}

/* Copy the values of tags (unused entries set to PR_NULL) from src to dest. */
static HRESULT copy_prop_values( IMAPIProp *src, IMAPIProp *dest, SPropTagArray *tags, ULONG flags,
                                 SPropProblemArray **problems )
{
    SPropValue *values = NULL, *existing = NULL;
    SPropTagArray *copied = NULL;
    ULONG count, i, n = 0, big = 0;
    HRESULT hr;

    if (!tags->cValues) return S_OK;
    /* strings as they are stored, without a trip through the code page */
    hr = IMAPIProp_GetProps( src, tags, MAPI_UNICODE, &count, &values );
    if (FAILED(hr)) return hr;
    /* what the source lacks is simply not copied */
    hr = S_OK;
    if (flags & MAPI_NOREPLACE)
    {
        /* values the destination already has stay as they are; a value too
         * big for GetProps is there all the same */
        if (SUCCEEDED(IMAPIProp_GetProps( dest, tags, MAPI_UNICODE, &count, &existing )))
        {
            for (i = 0; i < count; i++)
                if (PROP_TYPE(existing[i].ulPropTag) != PT_ERROR || existing[i].Value.err == MAPI_E_NOT_ENOUGH_MEMORY)
                    values[i].ulPropTag = PR_NULL;
            MAPIFreeBuffer( existing );
        }
    }
    /* values too big for GetProps go through streams once the others are set:
     * keep their tags at the start of the tag list (it is rebuilt below) */
    for (i = 0; i < count; i++)
    {
        if (PROP_TYPE(values[i].ulPropTag) == PT_ERROR && values[i].Value.err == MAPI_E_NOT_ENOUGH_MEMORY
            && is_stream_type( tags->aulPropTag[i] ))
            tags->aulPropTag[big++] = tags->aulPropTag[i];
    }
    /* squeeze out what is not copied: errors (unreadable or missing) and kept values */
    for (i = 0; i < count; i++)
    {
        if (PROP_TYPE(values[i].ulPropTag) == PT_ERROR || values[i].ulPropTag == PR_NULL) continue;
        values[n++] = values[i];
    }
    if (n) hr = IMAPIProp_SetProps( dest, n, values, problems );
    for (i = 0; SUCCEEDED(hr) && i < big; i++) hr = copy_prop_stream( src, dest, tags->aulPropTag[i] );
    if (SUCCEEDED(hr) && (n || big) && (flags & MAPI_MOVE))
    {
        if (MAPIAllocateBuffer( CbNewSPropTagArray( n + big ), (void **)&copied ))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else
        {
            copied->cValues = n + big;
            for (i = 0; i < n; i++) copied->aulPropTag[i] = values[i].ulPropTag;
            for (i = 0; i < big; i++) copied->aulPropTag[n + i] = tags->aulPropTag[i];
            hr = IMAPIProp_DeleteProps( src, copied, NULL );
            MAPIFreeBuffer( copied );
        }
    }
    /* no problem array comes with a failure */
    if (FAILED(hr) && problems && *problems)
    {
        MAPIFreeBuffer( *problems );
        *problems = NULL;
    }
    MAPIFreeBuffer( values );
    return hr;
}

static HRESULT get_dest_prop( const IID *dest_iid, void *dest_obj, IMAPIProp **dest )
{
    if (!dest_iid || !dest_obj) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(IUnknown_QueryInterface( (IUnknown *)dest_obj, dest_iid, (void **)dest )))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    return S_OK;
}

/* Replace (or with MAPI_NOREPLACE add to) dest's recipients with src's recipient table rows. */
static HRESULT copy_recipients( IMessage *src, IMessage *dest, ULONG flags )
{
    ULONG modify = (flags & MAPI_NOREPLACE) ? MODRECIP_ADD : 0;
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetRecipientTable( src, MAPI_UNICODE, &table ))) return hr;
    for (;;)
    {
        if (FAILED(hr = IMAPITable_QueryRows( table, 64, 0, &rows ))) break;
        if (!rows->cRows)
        {
            FreeProws( rows );
            break;
        }
        /* an ADRLIST has the layout of an SRowSet */
        hr = IMessage_ModifyRecipients( dest, modify, (ADRLIST *)rows );
        FreeProws( rows );
        if (FAILED(hr)) break;
        modify = MODRECIP_ADD;
    }
    IMAPITable_Release( table );
    /* a move leaves the source without recipients */
    if (SUCCEEDED(hr) && (flags & MAPI_MOVE))
    {
        ADRLIST none = { 0 };

        hr = IMessage_ModifyRecipients( src, 0, &none );
    }
    return hr;
}

/* Create in dest a copy of each of src's attachments. */
static HRESULT copy_attachments( IMAPISupport *support, IMessage *src, IMessage *dest, ULONG flags )
{
    static const SizedSPropTagArray(1, num_tag) = { 1, { PR_ATTACH_NUM } };
    IAttach *attach, *copy;
    IMAPITable *table;
    SRowSet *rows;
    SPropValue *num;
    ULONG i, new_num;
    HRESULT hr;

    if (FAILED(hr = IMessage_GetAttachmentTable( src, 0, &table ))) return hr;
    /* all rows first: a move deletes attachments as it goes */
    hr = HrQueryAllRows( table, (SPropTagArray *)&num_tag, NULL, NULL, 0, &rows );
    IMAPITable_Release( table );
    if (FAILED(hr)) return hr;
    for (i = 0; SUCCEEDED(hr) && i < rows->cRows; i++)
    {
        num = PpropFindProp( rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_ATTACH_NUM );
        if (!num) continue;
        if (FAILED(hr = IMessage_OpenAttach( src, num->Value.l, NULL, 0, &attach ))) break;
        if (SUCCEEDED(hr = IMessage_CreateAttach( dest, NULL, 0, &new_num, &copy )))
        {
            /* the number is the destination's own */
            hr = IMAPISupport_DoCopyTo( support, &IID_IMAPIProp, attach, 0, NULL, (SPropTagArray *)&num_tag,
                                        0, NULL, &IID_IMAPIProp, copy, flags & MAPI_NOREPLACE, NULL );
            if (SUCCEEDED(hr)) hr = IAttach_SaveChanges( copy, 0 );
            IAttach_Release( copy );
        }
        IAttach_Release( attach );
        /* a move takes each attachment out of the source once it is copied */
        if (SUCCEEDED(hr) && (flags & MAPI_MOVE)) hr = IMessage_DeleteAttach( src, num->Value.l, 0, NULL, 0 );
    }
    FreeProws( rows );
    return hr;
}

/* The embedded message of an ATTACH_EMBEDDED_MSG attachment, into dest's new one. */
static HRESULT copy_embedded( IMAPISupport *support, IMAPIProp *src, IMAPIProp *dest, ULONG flags )
{
    static const SizedSPropTagArray(1, method_tag) = { 1, { PR_ATTACH_METHOD } };
    IAttach *src_attach, *dest_attach;
    IUnknown *in = NULL, *out = NULL;
    SPropValue *method = NULL;
    HRESULT hr = S_OK;
    ULONG count;

    if (FAILED(IMAPIProp_QueryInterface( src, &IID_IAttachment, (void **)&src_attach ))) return S_OK;
    if (FAILED(IMAPIProp_QueryInterface( dest, &IID_IAttachment, (void **)&dest_attach )))
    {
        IAttach_Release( src_attach );
        return S_OK;
    }
    if (SUCCEEDED(IAttach_GetProps( src_attach, (SPropTagArray *)&method_tag, 0, &count, &method ))
        && method->ulPropTag == PR_ATTACH_METHOD && method->Value.l == ATTACH_EMBEDDED_MSG
        && SUCCEEDED(hr = IAttach_OpenProperty( src_attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, &in ))
        && SUCCEEDED(hr = IAttach_OpenProperty( dest_attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
                                                MAPI_CREATE | MAPI_MODIFY, &out )))
    {
        /* the embedded message stays in the source even for a move: it goes with the attachment */
        hr = IMAPISupport_DoCopyTo( support, &IID_IMessage, in, 0, NULL, NULL, 0, NULL, &IID_IMessage, out,
                                    flags & MAPI_NOREPLACE, NULL );
        if (SUCCEEDED(hr)) hr = IMessage_SaveChanges( (IMessage *)out, 0 );
    }
    if (out) IUnknown_Release( out );
    if (in) IUnknown_Release( in );
    MAPIFreeBuffer( method );
    IAttach_Release( dest_attach );
    IAttach_Release( src_attach );
    return hr;
}

/* Copy the recipients and attachments of a message, as asked. */
static HRESULT copy_message_children( IMAPISupport *support, IMAPIProp *src, IMAPIProp *dest, BOOL recipients,
                                      BOOL attachments, ULONG flags )
{
    IMessage *src_msg, *dest_msg;
    HRESULT hr = S_OK;

    if (!recipients && !attachments) return S_OK;
    if (FAILED(IMAPIProp_QueryInterface( src, &IID_IMessage, (void **)&src_msg ))) return S_OK;
    if (FAILED(IMAPIProp_QueryInterface( dest, &IID_IMessage, (void **)&dest_msg )))
    {
        IMessage_Release( src_msg );
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    if (recipients) hr = copy_recipients( src_msg, dest_msg, flags );
    if (SUCCEEDED(hr) && attachments) hr = copy_attachments( support, src_msg, dest_msg, flags );
    IMessage_Release( dest_msg );
    IMessage_Release( src_msg );
    return hr;
}

static HRESULT WINAPI support_DoCopyTo( IMAPISupport *iface, const IID *src_iid, void *src_obj,
                                        ULONG exclude_count, const IID *exclude, SPropTagArray *exclude_props,
                                        ULONG_PTR ui_param, IMAPIProgress *progress, const IID *dest_iid,
                                        void *dest_obj, ULONG flags, SPropProblemArray **problems )
{
    SPropTagArray *list = NULL;
    IMAPIProp *src, *dest;
    ULONG i, n = 0;
    HRESULT hr;

    TRACE( "%p, %s, %p, %lu, %p, %p, %#Ix, %p, %s, %p, %#lx, %p.\n", iface, debugstr_guid(src_iid), src_obj,
           exclude_count, exclude, exclude_props, ui_param, progress, debugstr_guid(dest_iid), dest_obj,
           flags, problems );

    if (!src_iid || !src_obj || (exclude_props && !exclude_props->cValues)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_DIALOG | MAPI_MOVE | MAPI_NOREPLACE | MAPI_DECLINE_OK)) return MAPI_E_UNKNOWN_FLAGS;
    if (problems) *problems = NULL;
    if (FAILED(IUnknown_QueryInterface( (IUnknown *)src_obj, src_iid, (void **)&src )))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (FAILED(hr = get_dest_prop( dest_iid, dest_obj, &dest )))
    {
        IMAPIProp_Release( src );
        return hr;
    }
    /* copying an object onto itself would lose its values with MAPI_MOVE */
    if ((IUnknown *)src == (IUnknown *)dest)
    {
        hr = MAPI_E_NO_ACCESS;
        goto done;
    }
    /* excluding the source's own interface or IMAPIProp leaves nothing to copy */
    if (iid_in_list( exclude_count, exclude, src_iid ) || iid_in_list( exclude_count, exclude, &IID_IMAPIProp ))
        goto done;

    if (FAILED(hr = IMAPIProp_GetPropList( src, MAPI_UNICODE, &list ))) goto done;
    for (i = 0; i < list->cValues; i++)
    {
        ULONG tag = list->aulPropTag[i];

        /* subobjects are not values SetProps can take */
        if (PROP_TYPE(tag) == PT_OBJECT || tag_in_list( exclude_props, tag )) continue;
        list->aulPropTag[n++] = tag;
    }
    list->cValues = n;
    hr = copy_prop_values( src, dest, list, flags, problems );
    MAPIFreeBuffer( list );

    if (SUCCEEDED(hr) && IsEqualIID( src_iid, &IID_IMessage ))
        hr = copy_message_children( iface, src, dest, !tag_in_list( exclude_props, PR_MESSAGE_RECIPIENTS ),
                                    !tag_in_list( exclude_props, PR_MESSAGE_ATTACHMENTS )
                                    && !iid_in_list( exclude_count, exclude, &IID_IAttachment ), flags );
    /* a folder's messages (unless IMessage is excluded) and subfolders */
    if (SUCCEEDED(hr) && IsEqualIID( src_iid, &IID_IMAPIFolder ))
    {
        BOOL messages = !iid_in_list( exclude_count, exclude, &IID_IMessage );
        HRESULT children;

        children = copy_folder_children( iface, src, dest,
                                         messages && !tag_in_list( exclude_props, PR_CONTAINER_CONTENTS ),
                                         messages && !tag_in_list( exclude_props, PR_FOLDER_ASSOCIATED_CONTENTS ),
                                         !tag_in_list( exclude_props, PR_CONTAINER_HIERARCHY ), !messages, flags );
        if (children != S_OK) hr = children;
    }
    /* an attachment's embedded message (unless IMessage is excluded) */
    if (SUCCEEDED(hr) && (IsEqualIID( src_iid, &IID_IAttachment ) || IsEqualIID( src_iid, &IID_IMAPIProp ))
        && !iid_in_list( exclude_count, exclude, &IID_IMessage )
        && !tag_in_list( exclude_props, PR_ATTACH_DATA_OBJ ))
        hr = copy_embedded( iface, src, dest, flags );
    /* no problem array comes with a failure */
    if (FAILED(hr) && problems && *problems)
    {
        MAPIFreeBuffer( *problems );
        *problems = NULL;
    }

done:
    IMAPIProp_Release( dest );
    IMAPIProp_Release( src );
    return hr;
}

static HRESULT WINAPI support_DoCopyProps( IMAPISupport *iface, const IID *src_iid, void *src_obj,
                                           SPropTagArray *include_props, ULONG_PTR ui_param,
                                           IMAPIProgress *progress, const IID *dest_iid, void *dest_obj,
                                           ULONG flags, SPropProblemArray **problems )
{
    BOOL recipients = FALSE, attachments = FALSE, contents = FALSE, assoc = FALSE, hierarchy = FALSE;
    BOOL embedded = FALSE;
    SPropTagArray *list;
    IMAPIProp *src, *dest;
    ULONG i, n = 0;
    HRESULT hr;

    TRACE( "%p, %s, %p, %p, %#Ix, %p, %s, %p, %#lx, %p.\n", iface, debugstr_guid(src_iid), src_obj, include_props,
           ui_param, progress, debugstr_guid(dest_iid), dest_obj, flags, problems );

    if (!src_iid || !src_obj || !include_props) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_DIALOG | MAPI_MOVE | MAPI_NOREPLACE | MAPI_DECLINE_OK)) return MAPI_E_UNKNOWN_FLAGS;
    if (problems) *problems = NULL;
    if (FAILED(IUnknown_QueryInterface( (IUnknown *)src_obj, src_iid, (void **)&src )))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (FAILED(hr = get_dest_prop( dest_iid, dest_obj, &dest )))
    {
        IMAPIProp_Release( src );
        return hr;
    }
    if ((IUnknown *)src == (IUnknown *)dest)
    {
        hr = MAPI_E_NO_ACCESS;
        goto done;
    }
    if (MAPIAllocateBuffer( CbNewSPropTagArray( include_props->cValues ), (void **)&list ))
    {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    for (i = 0; i < include_props->cValues; i++)
    {
        ULONG tag = include_props->aulPropTag[i];

        if (tag == PR_MESSAGE_RECIPIENTS) recipients = TRUE;
        else if (tag == PR_MESSAGE_ATTACHMENTS) attachments = TRUE;
        else if (tag == PR_CONTAINER_CONTENTS) contents = TRUE;
        else if (tag == PR_FOLDER_ASSOCIATED_CONTENTS) assoc = TRUE;
        else if (tag == PR_CONTAINER_HIERARCHY) hierarchy = TRUE;
        else if (tag == PR_ATTACH_DATA_OBJ) embedded = TRUE;
        if (PROP_TYPE(tag) == PT_OBJECT) continue;
        list->aulPropTag[n++] = tag;
    }
    list->cValues = n;
    hr = copy_prop_values( src, dest, list, flags, problems );
    MAPIFreeBuffer( list );
    if (SUCCEEDED(hr)) hr = copy_message_children( iface, src, dest, recipients, attachments, flags );
    if (SUCCEEDED(hr))
    {
        HRESULT children = copy_folder_children( iface, src, dest, contents, assoc, hierarchy, FALSE, flags );

        if (children != S_OK) hr = children;
    }
    if (SUCCEEDED(hr) && embedded) hr = copy_embedded( iface, src, dest, flags );
    if (FAILED(hr) && problems && *problems)
    {
        MAPIFreeBuffer( *problems );
        *problems = NULL;
    }

done:
    IMAPIProp_Release( dest );
    IMAPIProp_Release( src );
    return hr;
}

static HRESULT WINAPI support_DoProgressDialog( IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags,
                                                IMAPIProgress **progress )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_ReadReceipt( IMAPISupport *iface, ULONG flags, IMessage *read_message,
                                           IMessage **empty_message )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_PrepareSubmit( IMAPISupport *iface, IMessage *message, ULONG *flags )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_ExpandRecips( IMAPISupport *iface, IMessage *message, ULONG *flags )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_UpdatePAB( IMAPISupport *iface, ULONG flags, IMessage *message )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_DoSentMail( IMAPISupport *iface, ULONG flags, IMessage *message )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_OpenAddressBook( IMAPISupport *iface, const IID *iid, ULONG flags,
                                               IAddrBook **address_book )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );

    TRACE( "%p, %s, %#lx, %p.\n", iface, debugstr_guid(iid), flags, address_book );

    if (!support->logon) return MAPI_E_INVALID_OBJECT;
    if (!address_book) return MAPI_E_INVALID_PARAMETER;
    *address_book = NULL;
    if (flags & ~AB_NO_DIALOG) return MAPI_E_UNKNOWN_FLAGS;
    /* it lives as long as this store logon */
    return addrbook_create( support, iid, address_book );
}

static HRESULT WINAPI support_Preprocess( IMAPISupport *iface, ULONG flags, ULONG entry_size, ENTRYID *entry )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_CompleteMsg( IMAPISupport *iface, ULONG flags, ULONG entry_size, ENTRYID *entry )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_StoreLogoffTransports( IMAPISupport *iface, ULONG *flags )
{
    static const ULONG valid = LOGOFF_NO_WAIT | LOGOFF_ORDERLY | LOGOFF_PURGE | LOGOFF_ABORT | LOGOFF_QUIET;
    ULONG input;

    TRACE( "%p, %p.\n", iface, flags );

    if (!flags) return MAPI_E_INVALID_PARAMETER;
    input = *flags;
    TRACE( "flags %#lx.\n", input );
    /* R5.1: exactly one of the mutually exclusive input flags */
    if (input & ~valid) return MAPI_E_UNKNOWN_FLAGS;
    if (!input || (input & (input - 1))) return MAPI_E_INVALID_PARAMETER;
    /* no spooler, so no transport activity to wait for (Q11) */
    *flags = LOGOFF_COMPLETE;
    return S_OK;
}

static HRESULT WINAPI support_StatusRecips( IMAPISupport *iface, IMessage *message, ADRLIST *recipients )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI support_WrapStoreEntryID( IMAPISupport *iface, ULONG size, ENTRYID *entry,
                                                ULONG *wrapped_size, ENTRYID **wrapped )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );

    TRACE( "%p, %lu, %p, %p, %p.\n", iface, size, entry, wrapped_size, wrapped );

    if (!entry || !wrapped_size || !wrapped) return MAPI_E_INVALID_PARAMETER;
    return wrap_store_entryid( support->dll_name, 0, size, entry, wrapped_size, wrapped );
}

/* The provider's section is in the profile already; what it wrote there
 * (PR_ENTRYID, PR_DISPLAY_NAME ...) now shows in the stores tables. */
static HRESULT WINAPI support_ModifyProfile( IMAPISupport *iface, ULONG flags )
{
    struct mapi_support *support = impl_from_IMAPISupport( iface );

    TRACE( "%p, %#lx.\n", iface, flags );

    if (!support->logon) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MDB_TEMPORARY) return MAPI_E_UNKNOWN_FLAGS;
    /* a temporary store stays out of the stores table */
    if (flags & MDB_TEMPORARY) return S_OK;
    if (support->profile) session_profile_changed( support->profile );
    return S_OK;
}

/* An ILockBytes over a stream, for IStorageFromStream: offsets count from
 * where the storage starts in the stream. */
struct stream_bytes
{
    ILockBytes ILockBytes_iface;
    LONG refcount;
    IStream *stream;
    ULONGLONG base;
};

static inline struct stream_bytes *impl_from_ILockBytes( ILockBytes *iface )
{
    return CONTAINING_RECORD( iface, struct stream_bytes, ILockBytes_iface );
}

static HRESULT WINAPI stream_bytes_QueryInterface( ILockBytes *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (IsEqualIID( riid, &IID_IUnknown ) || IsEqualIID( riid, &IID_ILockBytes ))
    {
        *out = iface;
        ILockBytes_AddRef( iface );
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI stream_bytes_AddRef( ILockBytes *iface )
{
    struct stream_bytes *bytes = impl_from_ILockBytes( iface );
    ULONG refcount = InterlockedIncrement( &bytes->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI stream_bytes_Release( ILockBytes *iface )
{
    struct stream_bytes *bytes = impl_from_ILockBytes( iface );
    ULONG refcount = InterlockedDecrement( &bytes->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    if (!refcount)
    {
        IStream_Release( bytes->stream );
        free( bytes );
    }
    return refcount;
}

static HRESULT stream_bytes_seek( struct stream_bytes *bytes, ULARGE_INTEGER offset )
{
    LARGE_INTEGER pos;

    pos.QuadPart = bytes->base + offset.QuadPart;
    return IStream_Seek( bytes->stream, pos, STREAM_SEEK_SET, NULL );
}

static HRESULT WINAPI stream_bytes_ReadAt( ILockBytes *iface, ULARGE_INTEGER offset, void *buffer, ULONG size,
                                           ULONG *read )
{
    struct stream_bytes *bytes = impl_from_ILockBytes( iface );
    HRESULT hr;

    TRACE( "%p, %#I64x, %p, %lu, %p.\n", iface, offset.QuadPart, buffer, size, read );

    if (read) *read = 0;
    if (FAILED(hr = stream_bytes_seek( bytes, offset ))) return hr;
    return IStream_Read( bytes->stream, buffer, size, read );
}

static HRESULT WINAPI stream_bytes_WriteAt( ILockBytes *iface, ULARGE_INTEGER offset, const void *buffer,
                                            ULONG size, ULONG *written )
{
    struct stream_bytes *bytes = impl_from_ILockBytes( iface );
    HRESULT hr;

    TRACE( "%p, %#I64x, %p, %lu, %p.\n", iface, offset.QuadPart, buffer, size, written );

    if (written) *written = 0;
    if (FAILED(hr = stream_bytes_seek( bytes, offset ))) return hr;
    return IStream_Write( bytes->stream, buffer, size, written );
}

static HRESULT WINAPI stream_bytes_Flush( ILockBytes *iface )
{
    struct stream_bytes *bytes = impl_from_ILockBytes( iface );

    TRACE( "%p.\n", iface );

    /* streams that are not transacted answer Commit with success anyway */
    return IStream_Commit( bytes->stream, STGC_DEFAULT );
}

static HRESULT WINAPI stream_bytes_SetSize( ILockBytes *iface, ULARGE_INTEGER size )
{
    struct stream_bytes *bytes = impl_from_ILockBytes( iface );

    TRACE( "%p, %#I64x.\n", iface, size.QuadPart );

    size.QuadPart += bytes->base;
    return IStream_SetSize( bytes->stream, size );
}

static HRESULT WINAPI stream_bytes_LockRegion( ILockBytes *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size,
                                               DWORD type )
{
    TRACE( "%p, %#I64x, %#I64x, %#lx.\n", iface, offset.QuadPart, size.QuadPart, type );
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_bytes_UnlockRegion( ILockBytes *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size,
                                                 DWORD type )
{
    TRACE( "%p, %#I64x, %#I64x, %#lx.\n", iface, offset.QuadPart, size.QuadPart, type );
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_bytes_Stat( ILockBytes *iface, STATSTG *stat, DWORD flags )
{
    struct stream_bytes *bytes = impl_from_ILockBytes( iface );
    HRESULT hr;

    TRACE( "%p, %p, %#lx.\n", iface, stat, flags );

    if (FAILED(hr = IStream_Stat( bytes->stream, stat, flags ))) return hr;
    stat->type = STGTY_LOCKBYTES;
    stat->cbSize.QuadPart = stat->cbSize.QuadPart > bytes->base ? stat->cbSize.QuadPart - bytes->base : 0;
    return S_OK;
}

static const ILockBytesVtbl stream_bytes_vtbl =
{
    stream_bytes_QueryInterface,
    stream_bytes_AddRef,
    stream_bytes_Release,
    stream_bytes_ReadAt,
    stream_bytes_WriteAt,
    stream_bytes_Flush,
    stream_bytes_SetSize,
    stream_bytes_LockRegion,
    stream_bytes_UnlockRegion,
    stream_bytes_Stat,
};

static HRESULT WINAPI support_IStorageFromStream( IMAPISupport *iface, IUnknown *stream, const IID *iid,
                                                  ULONG flags, IStorage **storage )
{
    struct stream_bytes *bytes;
    LARGE_INTEGER zero;
    ULARGE_INTEGER pos;
    DWORD mode;
    HRESULT hr;

    TRACE( "%p, %p, %s, %#lx, %p.\n", iface, stream, debugstr_guid(iid), flags, storage );

    if (!stream || !storage) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(STGSTRM_CURRENT | STGSTRM_MODIFY | STGSTRM_CREATE)) return MAPI_E_UNKNOWN_FLAGS;
    if (iid && !IsEqualIID( iid, &IID_IStream ) && !IsEqualIID( iid, &IID_IUnknown ))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;

    if (!(bytes = calloc( 1, sizeof(*bytes) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(IUnknown_QueryInterface( stream, &IID_IStream, (void **)&bytes->stream )))
    {
        free( bytes );
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }
    bytes->ILockBytes_iface.lpVtbl = &stream_bytes_vtbl;
    bytes->refcount = 1;
    if (flags & STGSTRM_CURRENT)
    {
        zero.QuadPart = 0;
        if (SUCCEEDED(IStream_Seek( bytes->stream, zero, STREAM_SEEK_CUR, &pos ))) bytes->base = pos.QuadPart;
    }

    mode = STGM_SHARE_EXCLUSIVE | ((flags & (STGSTRM_MODIFY | STGSTRM_CREATE)) ? STGM_READWRITE : STGM_READ);
    if (flags & STGSTRM_CREATE)
        hr = StgCreateDocfileOnILockBytes( &bytes->ILockBytes_iface, mode | STGM_CREATE, 0, storage );
    else
        hr = StgOpenStorageOnILockBytes( &bytes->ILockBytes_iface, NULL, mode, NULL, 0, storage );
    /* the storage holds its own reference to the bytes */
    ILockBytes_Release( &bytes->ILockBytes_iface );
    if (FAILED(hr)) *storage = NULL;
    return hr;
}

static HRESULT WINAPI support_GetSvcConfigSupportObj( IMAPISupport *iface, ULONG flags, IMAPISupport **support )
{
    FIXME( "%p: stub.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static const IMAPISupportVtbl support_vtbl =
{
    support_QueryInterface,
    support_AddRef,
    support_Release,
    support_GetLastError,
    support_GetMemAllocRoutines,
    support_Subscribe,
    support_Unsubscribe,
    support_Notify,
    support_ModifyStatusRow,
    support_OpenProfileSection,
    support_RegisterPreprocessor,
    support_NewUID,
    support_MakeInvalid,
    support_SpoolerYield,
    support_SpoolerNotify,
    support_CreateOneOff,
    support_SetProviderUID,
    support_CompareEntryIDs,
    support_OpenTemplateID,
    support_OpenEntry,
    support_GetOneOffTable,
    support_Address,
    support_Details,
    support_NewEntry,
    support_DoConfigPropsheet,
    support_CopyMessages,
    support_CopyFolder,
    support_DoCopyTo,
    support_DoCopyProps,
    support_DoProgressDialog,
    support_ReadReceipt,
    support_PrepareSubmit,
    support_ExpandRecips,
    support_UpdatePAB,
    support_DoSentMail,
    support_OpenAddressBook,
    support_Preprocess,
    support_CompleteMsg,
    support_StoreLogoffTransports,
    support_StatusRecips,
    support_WrapStoreEntryID,
    support_ModifyProfile,
    support_IStorageFromStream,
    support_GetSvcConfigSupportObj,
};

/* The support object of one store logon; the caller holds the one reference. */
HRESULT support_create( struct store_logon *logon, const char *dll_name, const WCHAR *profile,
                        const MAPIUID *section, ITableData **status, IMAPISupport **out )
{
    struct mapi_support *support;
    unsigned int i;

    if (!(support = calloc( 1, sizeof(*support) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(support->dll_name = strdup( dll_name )) || (profile && !(support->profile = wcsdup( profile ))))
    {
        free( support->dll_name );
        free( support );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (section)
    {
        support->section = *section;
        support->has_section = TRUE;
    }
    for (i = 0; status && i < ARRAY_SIZE(support->status); i++)
        if ((support->status[i] = status[i])) ITableData_AddRef( status[i] );
    support->IMAPISupport_iface.lpVtbl = &support_vtbl;
    support->refcount = 1;
    support->logon = logon;
    support->module = logon->provider->module;
    provider_module_addref( support->module );
    logon->support = support;
    *out = &support->IMAPISupport_iface;
    return S_OK;
}
