/*
 * winepst: the store's status object (IMAPIStatus) and its status table row
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
 * status-object-implementation.md: every provider has a status object,
 * opened through IMSLogon::OpenStatusEntry, and adds its row to the
 * session's status table with IMAPISupport::ModifyStatusRow during logon.
 * The object is read-only (allowed even when MAPI_MODIFY is asked for);
 * its properties are computed, and the row carries the same ones minus
 * those MAPI computes itself (PR_ENTRYID, PR_INSTANCE_KEY, PR_ROWID,
 * PR_OBJECT_TYPE, PR_PROVIDER_DLL_NAME, PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS:
 * status-tables.md).  The object has no PR_ENTRYID: MAPI assigns the row's
 * entry ID, and no SPI call tells the provider what it is.  No PR_IDENTITY_*:
 * a PST store has no identity (its service has SERVICE_NO_PRIMARY_IDENTITY).
 *
 * Methods (PR_RESOURCE_METHODS lists exactly those that work):
 *   ValidateState   supported; a store has nothing remote to validate.
 *   SettingsDialog  MAPI_E_NO_SUPPORT: there is no UI.
 *   ChangePassword  the PST's password (PR_PST_PASSWORD), when the file is
 *                   open for writing; a wrong old password is MAPI_E_NO_ACCESS.
 *   FlushQueues     MAPI_E_NO_SUPPORT: only transports and the spooler have
 *                   queues (imapistatus-flushqueues.md).
 */

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

#define VALIDATE_STATE_FLAGS (SUPPRESS_UI | REFRESH_XP_HEADER_CACHE | PROCESS_XP_HEADER_CACHE | FORCE_XP_CONNECT \
                              | FORCE_XP_DISCONNECT | CONFIG_CHANGED | ABORT_XP_HEADER_OPERATION \
                              | SHOW_XP_SESSION_UI)

/* What mapisvc.inf registers for the provider (regsvr.c), for a profile
 * section that lacks them */
static const WCHAR default_provider_display[] = L"Personal Folders File (.pst)";
static const char default_dll_name[] = "winepst.dll";
static const WCHAR status_available[] = L"Available";

/* ------------------------------------------------------------------ */
/* passwords, shared with the service's configuration (service.c)     */

char *password_to_ansi( const void *password, BOOL unicode )
{
    char *text;
    int len;

    if (!password) return strdup( "" );
    if (!unicode) return strdup( password );
    len = WideCharToMultiByte( CP_ACP, 0, password, -1, NULL, 0, NULL, NULL );
    if (!(text = malloc( len ))) return NULL;
    WideCharToMultiByte( CP_ACP, 0, password, -1, text, len, NULL, NULL );
    return text;
}

HRESULT password_verify( struct pst_file *file, const char *password )
{
    uint32_t crc;
    int err;

    if ((err = pst_store_get_password_crc( file, &crc ))) return hresult_from_pst( err );
    /* a file without a password takes the empty one, whose CRC is 0 */
    return pst_password_crc( password, strlen( password ) ) == crc ? S_OK : MAPI_E_NO_ACCESS;
}

int password_write( struct pst_file *file, void *context )
{
    const char *password = context;
    static const uint32_t remove = PST_PR_PST_PASSWORD;
    struct pst_propset set;
    struct pst_value value;

    /* no password: the property goes, as in a file that never had one */
    if (!password[0]) return pst_store_set_props( file, NULL, &remove, 1 );
    memset( &value, 0, sizeof(value) );
    value.tag = PST_PR_PST_PASSWORD;
    value.type = PT_LONG;
    value.u.l = pst_password_crc( password, strlen( password ) );
    value.size = sizeof(value.u.l);
    set.props = &value;
    set.count = 1;
    return pst_store_set_props( file, &set, NULL, 0 );
}

/* ------------------------------------------------------------------ */
/* the properties                                                       */

struct status_info
{
    WCHAR *display_name;       /* the store's */
    WCHAR *provider_display;
    char *dll_name;
    ULONG resource_flags;
    ULONG methods;
    BYTE uid[16];
};

static void status_info_free( struct status_info *info )
{
    free( info->display_name );
    free( info->provider_display );
    free( info->dll_name );
    memset( info, 0, sizeof(*info) );
}

/* From the logon and the provider's profile section; lock not held. */
static HRESULT status_info_load( struct store_logon *logon, IMAPISupport *support, struct status_info *info )
{
    static const SizedSPropTagArray(3, tags) = { 3, { PR_PROVIDER_DISPLAY_W, PR_PROVIDER_DLL_NAME_A,
                                                      PR_RESOURCE_FLAGS } };
    IProfSect *section;
    SPropValue *props;
    ULONG count;

    memset( info, 0, sizeof(*info) );
    EnterCriticalSection( &logon->cs );
    info->display_name = wcsdup( logon->display_name );
    memcpy( info->uid, logon->uid, sizeof(info->uid) );
    info->methods = STATUS_VALIDATE_STATE | (logon->writable ? STATUS_CHANGE_PASSWORD : 0);
    LeaveCriticalSection( &logon->cs );

    if (SUCCEEDED(IMAPISupport_OpenProfileSection( support, NULL, 0, &section )))
    {
        if (SUCCEEDED(IProfSect_GetProps( section, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props )))
        {
            if (count == 3)
            {
                if (props[0].ulPropTag == PR_PROVIDER_DISPLAY_W)
                    info->provider_display = wcsdup( props[0].Value.lpszW );
                if (props[1].ulPropTag == PR_PROVIDER_DLL_NAME_A)
                    info->dll_name = strdup( props[1].Value.lpszA );
                if (props[2].ulPropTag == PR_RESOURCE_FLAGS) info->resource_flags = props[2].Value.l;
            }
            logon->alloc.free_buffer( props );
        }
        IProfSect_Release( section );
    }
    if (!info->provider_display) info->provider_display = wcsdup( default_provider_display );
    if (!info->dll_name) info->dll_name = strdup( default_dll_name );
    if (!info->display_name || !info->provider_display || !info->dll_name)
    {
        status_info_free( info );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    return S_OK;
}

#define STATUS_PROPS 11

/* ALL: the object's properties; otherwise the row's (MAPI computes the rest) */
static ULONG status_props( const struct status_info *info, BOOL all, SPropValue *props )
{
    ULONG n = 0;

    memset( props, 0, STATUS_PROPS * sizeof(*props) );
    props[n].ulPropTag = PR_DISPLAY_NAME_W;
    props[n++].Value.lpszW = info->display_name;
    props[n].ulPropTag = PR_PROVIDER_DISPLAY_W;
    props[n++].Value.lpszW = info->provider_display;
    props[n].ulPropTag = PR_RESOURCE_METHODS;
    props[n++].Value.l = info->methods;
    props[n].ulPropTag = PR_STATUS_CODE;
    props[n++].Value.l = STATUS_AVAILABLE;
    props[n].ulPropTag = PR_STATUS_STRING_W;
    props[n++].Value.lpszW = (WCHAR *)status_available;
    /* status-tables.md: a store may add its record key; mspst.h puts
     * PR_MDB_PROVIDER on the status object */
    props[n].ulPropTag = PR_STORE_RECORD_KEY;
    props[n].Value.bin.cb = sizeof(info->uid);
    props[n++].Value.bin.lpb = (BYTE *)info->uid;
    props[n].ulPropTag = PR_MDB_PROVIDER;
    props[n].Value.bin.cb = sizeof(winepst_provider_uid);
    props[n++].Value.bin.lpb = (BYTE *)&winepst_provider_uid;
    if (!all) return n;
    props[n].ulPropTag = PR_OBJECT_TYPE;
    props[n++].Value.l = MAPI_STATUS;
    props[n].ulPropTag = PR_PROVIDER_DLL_NAME_A;
    props[n++].Value.lpszA = info->dll_name;
    props[n].ulPropTag = PR_RESOURCE_TYPE;
    props[n++].Value.l = MAPI_STORE_PROVIDER;
    props[n].ulPropTag = PR_RESOURCE_FLAGS;
    props[n++].Value.l = info->resource_flags;
    return n;
}

/* Copies SRC into OUT as type TYPE (strings converted), in the chain of PARENT. */
static HRESULT status_copy_value( const struct mapi_allocators *alloc, void *parent, const SPropValue *src,
                                  ULONG type, SPropValue *out )
{
    ULONG src_type = PROP_TYPE(src->ulPropTag);
    HRESULT hr;
    int len;

    out->ulPropTag = PROP_TAG(type, PROP_ID(src->ulPropTag));
    out->dwAlignPad = 0;
    switch (type)
    {
    case PT_LONG:
        out->Value.l = src->Value.l;
        return S_OK;
    case PT_BINARY:
        out->Value.bin.cb = src->Value.bin.cb;
        if (FAILED(hr = alloc->allocate_more( src->Value.bin.cb, parent, (void **)&out->Value.bin.lpb ))) return hr;
        memcpy( out->Value.bin.lpb, src->Value.bin.lpb, src->Value.bin.cb );
        return S_OK;
    case PT_UNICODE:
        if (src_type == PT_UNICODE) len = wcslen( src->Value.lpszW ) + 1;
        else len = MultiByteToWideChar( CP_ACP, 0, src->Value.lpszA, -1, NULL, 0 );
        if (FAILED(hr = alloc->allocate_more( len * sizeof(WCHAR), parent, (void **)&out->Value.lpszW ))) return hr;
        if (src_type == PT_UNICODE) memcpy( out->Value.lpszW, src->Value.lpszW, len * sizeof(WCHAR) );
        else MultiByteToWideChar( CP_ACP, 0, src->Value.lpszA, -1, out->Value.lpszW, len );
        return S_OK;
    case PT_STRING8:
        if (src_type == PT_STRING8) len = strlen( src->Value.lpszA ) + 1;
        else len = WideCharToMultiByte( CP_ACP, 0, src->Value.lpszW, -1, NULL, 0, NULL, NULL );
        if (FAILED(hr = alloc->allocate_more( len, parent, (void **)&out->Value.lpszA ))) return hr;
        if (src_type == PT_STRING8) memcpy( out->Value.lpszA, src->Value.lpszA, len );
        else WideCharToMultiByte( CP_ACP, 0, src->Value.lpszW, -1, out->Value.lpszA, len, NULL, NULL );
        return S_OK;
    }
    return MAPI_E_NOT_FOUND;
}

static BOOL is_string( ULONG type )
{
    return type == PT_STRING8 || type == PT_UNICODE;
}

/* The type a value is returned in: strings as asked, or by MAPI_UNICODE
 * for PT_UNSPECIFIED; other types only as they are. */
static ULONG status_value_type( const SPropValue *value, ULONG asked, ULONG flags )
{
    ULONG type = PROP_TYPE(value->ulPropTag);

    if (is_string( type ))
    {
        if (asked == PT_UNSPECIFIED) return (flags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8;
        return is_string( asked ) ? asked : PT_ERROR;
    }
    return asked == PT_UNSPECIFIED || asked == type ? type : PT_ERROR;
}

static HRESULT status_get_props( const struct mapi_allocators *alloc, const struct status_info *info,
                                 const SPropTagArray *tags, ULONG flags, ULONG *out_count, SPropValue **out )
{
    SPropValue computed[STATUS_PROPS], *props;
    ULONG n = status_props( info, TRUE, computed ), count = tags ? tags->cValues : n, i, j, type;
    BOOL errors = FALSE;
    HRESULT hr;

    if (FAILED(hr = alloc->allocate_buffer( max( count, 1 ) * sizeof(*props), (void **)&props ))) return hr;
    for (i = 0; i < count; i++)
    {
        const SPropValue *value = NULL;
        ULONG asked = tags ? PROP_TYPE(tags->aulPropTag[i]) : PT_UNSPECIFIED;

        if (!tags) value = &computed[i];
        else for (j = 0; j < n && !value; j++)
            if (PROP_ID(computed[j].ulPropTag) == PROP_ID(tags->aulPropTag[i])) value = &computed[j];
        if (value && (type = status_value_type( value, asked, flags )) != PT_ERROR)
        {
            if (FAILED(hr = status_copy_value( alloc, props, value, type, &props[i] ))) break;
            continue;
        }
        props[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
        props[i].dwAlignPad = 0;
        props[i].Value.err = MAPI_E_NOT_FOUND;
        errors = TRUE;
    }
    if (FAILED(hr))
    {
        alloc->free_buffer( props );
        return hr;
    }
    *out_count = count;
    *out = props;
    return errors ? MAPI_W_ERRORS_RETURNED : S_OK;
}

/* ------------------------------------------------------------------ */
/* the status row                                                       */

static void status_row_modify( struct store_logon *logon, ULONG flags )
{
    SPropValue props[STATUS_PROPS];
    struct status_info info;
    IMAPISupport *support;
    HRESULT hr;
    ULONG n;

    EnterCriticalSection( &logon->cs );
    if (logon->state != STORE_ACTIVE)
    {
        LeaveCriticalSection( &logon->cs );
        return;
    }
    support = logon->support;
    IMAPISupport_AddRef( support );
    LeaveCriticalSection( &logon->cs );
    if (SUCCEEDED(status_info_load( logon, support, &info )))
    {
        n = status_props( &info, FALSE, props );
        /* the row informs; a session without one still has the store */
        if (FAILED(hr = IMAPISupport_ModifyStatusRow( support, n, props, flags )))
            WARN( "ModifyStatusRow returned %#lx.\n", hr );
        status_info_free( &info );
    }
    IMAPISupport_Release( support );
}

void status_row_add( struct store_logon *logon )
{
    status_row_modify( logon, 0 );
}

void status_row_update( struct store_logon *logon )
{
    status_row_modify( logon, STATUSROW_UPDATE );
}

/* ------------------------------------------------------------------ */
/* IMAPIStatus                                                          */

struct status
{
    IMAPIStatus IMAPIStatus_iface;
    LONG refcount;
    struct store_child child;
    struct status_info info;
};

static inline struct status *impl_from_IMAPIStatus( IMAPIStatus *iface )
{
    return CONTAINING_RECORD( iface, struct status, IMAPIStatus_iface );
}

static HRESULT WINAPI status_QueryInterface( IMAPIStatus *iface, REFIID riid, void **out )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    if (IsEqualGUID( riid, &IID_IUnknown ) || IsEqualGUID( riid, &IID_IMAPIProp )
            || IsEqualGUID( riid, &IID_IMAPIStatus ))
    {
        *out = &status->IMAPIStatus_iface;
        IMAPIStatus_AddRef( &status->IMAPIStatus_iface );
        return S_OK;
    }
    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI status_AddRef( IMAPIStatus *iface )
{
    struct status *status = impl_from_IMAPIStatus( iface );
    ULONG refcount = InterlockedIncrement( &status->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI status_Release( IMAPIStatus *iface )
{
    struct status *status = impl_from_IMAPIStatus( iface );
    ULONG refcount = InterlockedDecrement( &status->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );

    if (!refcount)
    {
        store_child_destroy( &status->child );
        status_info_free( &status->info );
        free( status );
    }
    return refcount;
}

static HRESULT WINAPI status_GetLastError( IMAPIStatus *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    struct status *status = impl_from_IMAPIStatus( iface );
    struct store_logon *logon = status->child.logon;

    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return mapi_error_create( &logon->alloc, result, flags, NULL, error );
}

static HRESULT WINAPI status_SaveChanges( IMAPIStatus *iface, ULONG flags )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %#lx.\n", iface, flags );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    if (flags & ~(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    /* status objects are not transacted, and this one changes nothing */
    return S_OK;
}

static HRESULT WINAPI status_GetProps( IMAPIStatus *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                       SPropValue **props )
{
    struct status *status = impl_from_IMAPIStatus( iface );
    struct status_info info = status->info;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %p, %p.\n", iface, tags, flags, count, props );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    /* the store's name as it is now: SetProps may have renamed it */
    info.display_name = status->child.logon->display_name;
    if (!count || !props || (tags && !tags->cValues)) hr = MAPI_E_INVALID_PARAMETER;
    else if (flags & ~(MAPI_UNICODE | MAPI_DEFERRED_ERRORS)) hr = MAPI_E_UNKNOWN_FLAGS;
    else hr = status_get_props( &status->child.logon->alloc, &info, tags, flags, count, props );
    store_child_leave( &status->child );
    return hr;
}

static HRESULT WINAPI status_GetPropList( IMAPIStatus *iface, ULONG flags, SPropTagArray **tags )
{
    struct status *status = impl_from_IMAPIStatus( iface );
    const struct mapi_allocators *alloc = &status->child.logon->alloc;
    SPropValue computed[STATUS_PROPS];
    ULONG n, i, string_type = (flags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8;
    SPropTagArray *list;
    HRESULT hr;

    TRACE( "%p, %#lx, %p.\n", iface, flags, tags );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    n = status_props( &status->info, TRUE, computed );
    if (FAILED(hr = alloc->allocate_buffer( CbNewSPropTagArray(n), (void **)&list ))) return hr;
    list->cValues = n;
    for (i = 0; i < n; i++)
    {
        ULONG tag = computed[i].ulPropTag;

        if (is_string( PROP_TYPE(tag) )) tag = PROP_TAG(string_type, PROP_ID(tag));
        list->aulPropTag[i] = tag;
    }
    *tags = list;
    return S_OK;
}

static HRESULT WINAPI status_OpenProperty( IMAPIStatus *iface, ULONG tag, const IID *iid, ULONG options,
                                           ULONG flags, IUnknown **unk )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %#lx, %s, %#lx, %#lx, %p.\n", iface, tag, debugstr_guid(iid), options, flags, unk );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    if (!iid || !unk) return MAPI_E_INVALID_PARAMETER;
    /* every property is small and computed: GetProps returns them all */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI status_SetProps( IMAPIStatus *iface, ULONG count, SPropValue *props,
                                       SPropProblemArray **problems )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %lu, %p, %p.\n", iface, count, props, problems );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    if (!count || !props) return MAPI_E_INVALID_PARAMETER;
    /* the object is read-only (status-object-implementation.md allows it) */
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI status_DeleteProps( IMAPIStatus *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %p, %p.\n", iface, tags, problems );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    return MAPI_E_NO_ACCESS;
}

static HRESULT WINAPI status_CopyTo( IMAPIStatus *iface, ULONG exclude_count, const IID *exclude_iids,
                                     SPropTagArray *exclude_props, ULONG ui_param, IMAPIProgress *progress,
                                     const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, exclude_count, exclude_iids, exclude_props,
           ui_param, progress, debugstr_guid(iid), dest, flags, problems );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI status_CopyProps( IMAPIStatus *iface, SPropTagArray *include_props, ULONG ui_param,
                                        IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                        SPropProblemArray **problems )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %p, %#lx, %p, %s, %p, %#lx, %p.\n", iface, include_props, ui_param, progress,
           debugstr_guid(iid), dest, flags, problems );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI status_GetNamesFromIDs( IMAPIStatus *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                              ULONG *count, MAPINAMEID ***names )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %p, %s, %#lx, %p, %p.\n", iface, tags, debugstr_guid(guid), flags, count, names );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    /* no named properties on a status object */
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI status_GetIDsFromNames( IMAPIStatus *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                              SPropTagArray **tags )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %lu, %p, %#lx, %p.\n", iface, count, names, flags, tags );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI status_ValidateState( IMAPIStatus *iface, ULONG_PTR ui_param, ULONG flags )
{
    struct status *status = impl_from_IMAPIStatus( iface );
    struct store_logon *logon = status->child.logon;
    HRESULT hr = S_OK;

    TRACE( "%p, %#Ix, %#lx.\n", iface, ui_param, flags );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~VALIDATE_STATE_FLAGS) hr = MAPI_E_UNKNOWN_FLAGS;
    /* the file is open for the logon's life: a store that still answers
     * is in the state its row shows */
    else if (!logon->file) hr = MAPI_E_CALL_FAILED;
    store_child_leave( &status->child );
    return hr;
}

static HRESULT WINAPI status_SettingsDialog( IMAPIStatus *iface, ULONG_PTR ui_param, ULONG flags )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %#Ix, %#lx.\n", iface, ui_param, flags );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    /* no property sheet exists, so STATUS_SETTINGS_DIALOG is not listed */
    return MAPI_E_NO_SUPPORT;
}

/* The profile section keeps the password logon checks (store.c reads
 * PR_PST_PW_SZ_OLD from it): if it holds one, it becomes the new one, so
 * that the next logon still opens the store.  Lock not held. */
static void status_update_profile_password( struct store_logon *logon, IMAPISupport *support, const void *password,
                                            BOOL unicode )
{
    static const SizedSPropTagArray(2, tags) = { 2, { PR_PST_PW_SZ_OLD_W, PR_PST_PW_SZ_OLD } };
    IProfSect *section;
    SPropValue *props, prop;
    WCHAR *text = NULL;
    BOOL remembered;
    ULONG count;

    /* always as PR_PST_PW_SZ_OLD_W, which logon reads first */
    if (!unicode && password && !(text = strdup_a_to_w( password ))) return;
    if (FAILED(IMAPISupport_OpenProfileSection( support, NULL, MAPI_MODIFY, &section )))
    {
        free( text );
        return;
    }
    if (SUCCEEDED(IProfSect_GetProps( section, (SPropTagArray *)&tags, 0, &count, &props )))
    {
        remembered = count == 2 && (props[0].ulPropTag == PR_PST_PW_SZ_OLD_W || props[1].ulPropTag == PR_PST_PW_SZ_OLD);
        logon->alloc.free_buffer( props );
        if (remembered)
        {
            prop.ulPropTag = PR_PST_PW_SZ_OLD_W;
            prop.dwAlignPad = 0;
            if (text) prop.Value.lpszW = text;
            else prop.Value.lpszW = (WCHAR *)(password ? password : L"");
            if (SUCCEEDED(IProfSect_SetProps( section, 1, &prop, NULL )))
                IProfSect_SaveChanges( section, KEEP_OPEN_READWRITE );
        }
    }
    IProfSect_Release( section );
    free( text );
}

static HRESULT WINAPI status_ChangePassword( IMAPIStatus *iface, LPWSTR old_password, LPWSTR new_password,
                                             ULONG flags )
{
    struct status *status = impl_from_IMAPIStatus( iface );
    struct store_logon *logon = status->child.logon;
    BOOL unicode = !!(flags & MAPI_UNICODE);
    char *old_a = NULL, *new_a = NULL;
    IMAPISupport *support = NULL;
    HRESULT hr;

    TRACE( "%p, %p, %p, %#lx.\n", iface, old_password, new_password, flags );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) hr = MAPI_E_UNKNOWN_FLAGS;
    /* the method is not in PR_RESOURCE_METHODS of a read-only logon */
    else if (!logon->writable) hr = MAPI_E_NO_SUPPORT;
    /* NULL is the empty password: none */
    else if (!(old_a = password_to_ansi( old_password, unicode )) || !(new_a = password_to_ansi( new_password, unicode )))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (SUCCEEDED(hr = password_verify( logon->file, old_a ))
             && SUCCEEDED(hr = store_logon_transact( logon, password_write, new_a )))
    {
        support = logon->support;
        IMAPISupport_AddRef( support );
    }
    store_child_leave( &status->child );
    if (support)
    {
        status_update_profile_password( logon, support, new_password, unicode );
        IMAPISupport_Release( support );
    }
    free( old_a );
    free( new_a );
    return hr;
}

static HRESULT WINAPI status_FlushQueues( IMAPIStatus *iface, ULONG_PTR ui_param, ULONG target_size,
                                          ENTRYID *target, ULONG flags )
{
    struct status *status = impl_from_IMAPIStatus( iface );

    TRACE( "%p, %#Ix, %lu, %p, %#lx.\n", iface, ui_param, target_size, target, flags );

    if (!store_child_enter( &status->child )) return MAPI_E_INVALID_OBJECT;
    store_child_leave( &status->child );
    /* a store has no queues to flush: STATUS_FLUSH_QUEUES is not listed */
    return MAPI_E_NO_SUPPORT;
}

static const IMAPIStatusVtbl status_vtbl =
{
    status_QueryInterface,
    status_AddRef,
    status_Release,
    status_GetLastError,
    status_SaveChanges,
    status_GetProps,
    status_GetPropList,
    status_OpenProperty,
    status_SetProps,
    status_DeleteProps,
    status_CopyTo,
    status_CopyProps,
    status_GetNamesFromIDs,
    status_GetIDsFromNames,
    status_ValidateState,
    status_SettingsDialog,
    status_ChangePassword,
    status_FlushQueues,
};

HRESULT status_open( struct store_logon *logon, IMAPISupport *support, IMAPIStatus **out )
{
    struct status *status;
    HRESULT hr;

    if (!(status = calloc( 1, sizeof(*status) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr = status_info_load( logon, support, &status->info )))
    {
        free( status );
        return hr;
    }
    status->IMAPIStatus_iface.lpVtbl = &status_vtbl;
    status->refcount = 1;
    /* nothing of the engine to drop when the logon dies */
    store_child_init( &status->child, logon, NULL );
    TRACE( "created status object %p.\n", status );
    *out = &status->IMAPIStatus_iface;
    return S_OK;
}
