/*
 * IMsgServiceAdmin, IProviderAdmin and the configuration support object
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

#include <stdlib.h>
#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* ANSI names as MAPI's flag-less calls pass them */
static char *strdupA_flags( const void *str, ULONG flags )
{
    char *ret;
    int len;

    if (!str) return NULL;
    if (!(flags & MAPI_UNICODE)) return _strdup( str );
    len = WideCharToMultiByte( CP_ACP, 0, str, -1, NULL, 0, NULL, NULL );
    if (!(ret = malloc( len ))) return NULL;
    WideCharToMultiByte( CP_ACP, 0, str, -1, ret, len, NULL, NULL );
    return ret;
}

static HRESULT write_long( const WCHAR *profile, const MAPIUID *uid, ULONG tag, LONG value )
{
    return profile_section_write( profile, uid, tag, &value, sizeof(value) );
}

static HRESULT write_string( const WCHAR *profile, const MAPIUID *uid, ULONG tag, const char *value )
{
    return profile_section_write( profile, uid, tag, value, strlen( value ) + 1 );
}

static HRESULT delete_section( const WCHAR *profile, const MAPIUID *uid )
{
    WCHAR name[33];
    HKEY key;
    LONG err;

    if (FAILED(profile_open( profile, KEY_ALL_ACCESS, &key ))) return MAPI_E_NOT_FOUND;
    profile_uid_to_name( uid, name );
    err = RegDeleteTreeW( key, name );
    RegCloseKey( key );
    profile_cache_changed();
    return err ? MAPI_E_NOT_FOUND : S_OK;
}

/* a service section is its own service: PR_SERVICE_UID equals its UID and it has no PR_PROVIDER_UID */
static BOOL is_service_section( const WCHAR *profile, const MAPIUID *uid )
{
    BYTE *data;
    DWORD size;
    BOOL ret;

    if (SUCCEEDED(profile_section_read( profile, uid, PR_PROVIDER_UID, &data, &size )))
    {
        free( data );
        return FALSE;
    }
    if (FAILED(profile_section_read( profile, uid, PR_SERVICE_UID, &data, &size ))) return FALSE;
    ret = size == sizeof(*uid) && !memcmp( data, uid, sizeof(*uid) );
    free( data );
    return ret;
}

static BOOL section_service_is( const WCHAR *profile, const MAPIUID *uid, const MAPIUID *service )
{
    BYTE *data;
    DWORD size;
    BOOL ret;

    if (FAILED(profile_section_read( profile, uid, PR_SERVICE_UID, &data, &size ))) return FALSE;
    ret = size == sizeof(*service) && !memcmp( data, service, sizeof(*service) );
    free( data );
    return ret;
}

enum section_kind
{
    SECTION_SERVICE,
    SECTION_PROVIDER,
};

/* the UIDs of the profile's service sections, or of provider sections (of one service, if given) */
static HRESULT list_sections( const WCHAR *profile, enum section_kind kind, const MAPIUID *service,
                              MAPIUID **ret, unsigned int *ret_count )
{
    MAPIUID uid, *uids = NULL, *tmp;
    unsigned int count = 0;
    WCHAR name[64];
    DWORD index, len;
    HRESULT hr;
    HKEY key;
    BYTE *data;
    DWORD size;

    *ret = NULL;
    *ret_count = 0;
    if (FAILED(hr = profile_open( profile, KEY_READ, &key ))) return hr;
    for (index = 0; ; index++)
    {
        len = ARRAY_SIZE(name);
        if (RegEnumKeyExW( key, index, name, &len, NULL, NULL, NULL, NULL )) break;
        if (!profile_name_to_uid( name, &uid )) continue;
        if (kind == SECTION_SERVICE)
        {
            if (!is_service_section( profile, &uid )) continue;
        }
        else
        {
            if (FAILED(profile_section_read( profile, &uid, PR_PROVIDER_UID, &data, &size ))) continue;
            free( data );
            if (service && !section_service_is( profile, &uid, service )) continue;
        }
        if (!(tmp = realloc( uids, (count + 1) * sizeof(*uids) )))
        {
            free( uids );
            RegCloseKey( key );
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        uids = tmp;
        uids[count++] = uid;
    }
    RegCloseKey( key );
    *ret = uids;
    *ret_count = count;
    return S_OK;
}

/* a table with one row per section, indexed by PR_INSTANCE_KEY (the section UID) */
static HRESULT sections_table( struct liveness *owner, const WCHAR *profile, enum section_kind kind,
                               const MAPIUID *service, const SPropTagArray *columns, ULONG flags,
                               IMAPITable **table )
{
    SPropValue *props;
    ITableData *data;
    IProfSect *section;
    unsigned int count, i, j;
    MAPIUID *uids;
    ULONG prop_count;
    HRESULT hr;
    SRow row;

    *table = NULL;
    if (FAILED(hr = CreateTable( &IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                                 TBLTYPE_DYNAMIC, PR_INSTANCE_KEY, (SPropTagArray *)columns, &data )))
        return hr;
    if (FAILED(hr = list_sections( profile, kind, service, &uids, &count )))
    {
        ITableData_Release( data );
        return hr;
    }

    for (i = 0; i < count && SUCCEEDED(hr); i++)
    {
        if (FAILED(hr = profsect_create( NULL, profile, &uids[i], 0, &section ))) break;
        hr = IProfSect_GetProps( section, (SPropTagArray *)columns, flags & MAPI_UNICODE, &prop_count, &props );
        IProfSect_Release( section );
        if (FAILED(hr)) break;
        for (j = 0; j < prop_count; j++)
        {
            if (PROP_ID(props[j].ulPropTag) != PROP_ID(PR_INSTANCE_KEY)) continue;
            props[j].ulPropTag = PR_INSTANCE_KEY;
            props[j].Value.bin.cb = sizeof(MAPIUID);
            props[j].Value.bin.lpb = (BYTE *)&uids[i];
        }
        row.cValues = prop_count;
        row.lpProps = props;
        hr = ITableData_HrModifyRow( data, &row );
        MAPIFreeBuffer( props );
    }
    free( uids );

    if (SUCCEEDED(hr)) hr = table_data_get_view( data, owner, table );
    ITableData_Release( data );
    return hr;
}

struct msgsvc_admin;
static HRESULT provider_admin_create( struct msgsvc_admin *admin, const MAPIUID *service, IProviderAdmin **out );
static HRESULT config_support_create( const WCHAR *profile, IMAPISupport **out );

struct msgsvc_admin
{
    IMsgServiceAdmin IMsgServiceAdmin_iface;
    LONG refcount;
    struct liveness *owner;
    WCHAR *profile;
};

static inline struct msgsvc_admin *impl_from_IMsgServiceAdmin( IMsgServiceAdmin *iface )
{
    return CONTAINING_RECORD( iface, struct msgsvc_admin, IMsgServiceAdmin_iface );
}

/* calls the entry point named by the service section, if it names one */
static HRESULT call_service_entry( struct msgsvc_admin *admin, const MAPIUID *service, ULONG_PTR ui_param,
                                   ULONG flags, ULONG context, ULONG count, SPropValue *props )
{
    BYTE *dll_name = NULL, *entry_name = NULL;
    MSGSERVICEENTRY *entry;
    IProviderAdmin *provider_admin;
    IMAPISupport *support;
    MAPIERROR *error = NULL;
    HMODULE module;
    DWORD size;
    HRESULT hr;

    if (FAILED(profile_section_read( admin->profile, service, PR_SERVICE_DLL_NAME_A, &dll_name, &size ))
            || FAILED(profile_section_read( admin->profile, service, PR_SERVICE_ENTRY_NAME, &entry_name, &size )))
    {
        free( dll_name );
        return S_OK;
    }

    if (!(module = provider_load_library( (char *)dll_name )))
    {
        WARN( "cannot load %s.\n", debugstr_a((char *)dll_name) );
        hr = MAPI_E_NOT_FOUND;
    }
    else if (!(entry = (MSGSERVICEENTRY *)GetProcAddress( module, (char *)entry_name )))
    {
        WARN( "no %s in %s.\n", debugstr_a((char *)entry_name), debugstr_a((char *)dll_name) );
        hr = MAPI_E_NOT_FOUND;
    }
    else if (SUCCEEDED(hr = config_support_create( admin->profile, &support )))
    {
        if (SUCCEEDED(hr = provider_admin_create( admin, service, &provider_admin )))
        {
            hr = entry( module, MAPIGetDefaultMalloc(), support, ui_param, flags, context, count, props,
                        provider_admin, &error );
            TRACE( "entry point returned %#lx.\n", hr );
            if (error) MAPIFreeBuffer( error );
            IProviderAdmin_Release( provider_admin );
        }
        IMAPISupport_Release( support );
    }
    /* the library stays loaded: providers the service created may live in it */
    free( dll_name );
    free( entry_name );
    return hr;
}

static HRESULT WINAPI msgsvc_admin_QueryInterface( IMsgServiceAdmin *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (IsEqualIID( riid, &IID_IMsgServiceAdmin ) || IsEqualIID( riid, &IID_IUnknown ))
    {
        *out = iface;
        IMsgServiceAdmin_AddRef( iface );
        return S_OK;
    }

    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI msgsvc_admin_AddRef( IMsgServiceAdmin *iface )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );
    ULONG refcount = InterlockedIncrement( &admin->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI msgsvc_admin_Release( IMsgServiceAdmin *iface )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );
    ULONG refcount = InterlockedDecrement( &admin->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    if (!refcount)
    {
        liveness_release( admin->owner );
        free( admin->profile );
        free( admin );
    }
    return refcount;
}

static HRESULT WINAPI msgsvc_admin_GetLastError( IMsgServiceAdmin *iface, HRESULT result, ULONG flags,
                                                 MAPIERROR **error )
{
    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (liveness_dead( impl_from_IMsgServiceAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI msgsvc_admin_GetMsgServiceTable( IMsgServiceAdmin *iface, ULONG flags, IMAPITable **table )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );
    static const SizedSPropTagArray(5, columnsA) =
        { 5, { PR_INSTANCE_KEY, PR_SERVICE_UID, PR_SERVICE_NAME_A, PR_DISPLAY_NAME_A, PR_RESOURCE_FLAGS } };
    static const SizedSPropTagArray(5, columnsW) =
        { 5, { PR_INSTANCE_KEY, PR_SERVICE_UID, PR_SERVICE_NAME_W, PR_DISPLAY_NAME_W, PR_RESOURCE_FLAGS } };

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (liveness_dead( admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return sections_table( admin->owner, admin->profile, SECTION_SERVICE, NULL,
                           (flags & MAPI_UNICODE) ? (const SPropTagArray *)&columnsW : (const SPropTagArray *)&columnsA,
                           flags, table );
}

/* copies one mapisvc.inf section's property lines into a profile section */
static HRESULT copy_inf_section( const WCHAR *profile, const MAPIUID *uid, const struct mapisvc_section *section )
{
    struct mapisvc_prop prop;
    unsigned int i;
    HRESULT hr = S_OK;

    for (i = 0; i < section->count && SUCCEEDED(hr); i++)
    {
        if (!mapisvc_parse_prop( section->entries[i].key, section->entries[i].value, &prop ))
        {
            TRACE( "skipping %s=%s.\n", debugstr_a(section->entries[i].key), debugstr_a(section->entries[i].value) );
            continue;
        }
        hr = profile_section_write( profile, uid, prop.tag, prop.data, prop.size );
        free( prop.data );
    }
    return hr;
}

static HRESULT create_provider_section( const WCHAR *profile, const MAPIUID *service,
                                        const struct mapisvc_section *section, MAPIUID *uid )
{
    HRESULT hr;

    profile_new_uid( uid );
    if (FAILED(hr = copy_inf_section( profile, uid, section ))) return hr;
    if (FAILED(hr = profile_section_write( profile, uid, PR_PROVIDER_UID, uid, sizeof(*uid) ))) return hr;
    return profile_section_write( profile, uid, PR_SERVICE_UID, service, sizeof(*service) );
}

/* removes a service's provider sections and then its own */
static void delete_service_sections( const WCHAR *profile, const MAPIUID *service )
{
    unsigned int count, i;
    MAPIUID *uids;

    if (SUCCEEDED(list_sections( profile, SECTION_PROVIDER, service, &uids, &count )))
    {
        for (i = 0; i < count; i++) delete_section( profile, &uids[i] );
        free( uids );
    }
    delete_section( profile, service );
}

/* the comma-separated section names of a Providers= line */
static HRESULT create_providers( const WCHAR *profile, const MAPIUID *service, const struct mapisvc_inf *inf,
                                 const char *list )
{
    const struct mapisvc_section *section;
    const char *p = list, *start, *end;
    char name[256];
    MAPIUID uid;
    HRESULT hr;

    while (*p)
    {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        start = p;
        while (*p && *p != ',') p++;
        end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
        if (end == start) continue;
        if (end - start >= sizeof(name)) return MAPI_E_INVALID_PARAMETER;
        memcpy( name, start, end - start );
        name[end - start] = 0;
        if (!(section = mapisvc_find_section( inf, name )))
        {
            WARN( "no provider section %s.\n", debugstr_a(name) );
            return MAPI_E_NOT_FOUND;
        }
        if (FAILED(hr = create_provider_section( profile, service, section, &uid ))) return hr;
    }
    return S_OK;
}

static HRESULT WINAPI msgsvc_admin_CreateMsgService( IMsgServiceAdmin *iface, WCHAR *service_name,
                                                     WCHAR *display_name, ULONG_PTR ui_param, ULONG flags )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );
    const struct mapisvc_section *section;
    const char *providers;
    struct mapisvc_inf *inf;
    char *name = NULL, *display = NULL;
    MAPIUID uid;
    HRESULT hr;

    TRACE( "%p, %p, %p, %#Ix, %#lx.\n", iface, service_name, display_name, ui_param, flags );

    if (liveness_dead( admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!service_name) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | SERVICE_UI_ALWAYS | SERVICE_UI_ALLOWED)) return MAPI_E_UNKNOWN_FLAGS;
    if (!(name = strdupA_flags( service_name, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (display_name && !(display = strdupA_flags( display_name, flags )))
    {
        free( name );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    TRACE( "service %s, display name %s.\n", debugstr_a(name), debugstr_a(display) );

    if (FAILED(hr = mapisvc_load( &inf ))) goto done;
    /* only services listed in [Services] can be added */
    if (!mapisvc_get_value( mapisvc_find_section( inf, "Services" ), name )
            || !(section = mapisvc_find_section( inf, name )))
    {
        hr = MAPI_E_NOT_FOUND;
        goto done;
    }

    profile_new_uid( &uid );
    hr = copy_inf_section( admin->profile, &uid, section );
    if (SUCCEEDED(hr)) hr = profile_section_write( admin->profile, &uid, PR_SERVICE_UID, &uid, sizeof(uid) );
    if (SUCCEEDED(hr)) hr = write_string( admin->profile, &uid, PR_SERVICE_NAME_A, name );
    if (SUCCEEDED(hr) && display) hr = write_string( admin->profile, &uid, PR_DISPLAY_NAME_A, display );
    if (SUCCEEDED(hr) && (providers = mapisvc_get_value( section, "Providers" )))
        hr = create_providers( admin->profile, &uid, inf, providers );
    /* the entry point runs only once everything from mapisvc.inf is in the profile;
     * there is no configuration UI, so the UI flags are not passed on */
    if (SUCCEEDED(hr))
        hr = call_service_entry( admin, &uid, ui_param, flags & MAPI_UNICODE, MSG_SERVICE_CREATE, 0, NULL );
    if (FAILED(hr)) delete_service_sections( admin->profile, &uid );
    else session_profile_changed( admin->profile );

done:
    mapisvc_free( inf );
    free( name );
    free( display );
    return hr;
}

static HRESULT WINAPI msgsvc_admin_DeleteMsgService( IMsgServiceAdmin *iface, MAPIUID *uid )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );

    TRACE( "%p, %p.\n", iface, uid );

    if (liveness_dead( admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!uid) return MAPI_E_INVALID_PARAMETER;
    if (!is_service_section( admin->profile, uid )) return MAPI_E_NOT_FOUND;
    /* a service that cannot be told is removed all the same */
    call_service_entry( admin, uid, 0, 0, MSG_SERVICE_DELETE, 0, NULL );
    delete_service_sections( admin->profile, uid );
    session_profile_changed( admin->profile );
    return S_OK;
}

static HRESULT WINAPI msgsvc_admin_CopyMsgService( IMsgServiceAdmin *iface, MAPIUID *uid, WCHAR *display_name,
                                                   const IID *iid_to_copy, const IID *iid_dest, void *dest,
                                                   ULONG_PTR ui_param, ULONG flags )
{
    FIXME( "%p, %p, %p, %s, %s, %p, %#Ix, %#lx stub!\n", iface, uid, display_name, debugstr_guid(iid_to_copy),
           debugstr_guid(iid_dest), dest, ui_param, flags );
    if (liveness_dead( impl_from_IMsgServiceAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI msgsvc_admin_RenameMsgService( IMsgServiceAdmin *iface, MAPIUID *uid, ULONG flags,
                                                     WCHAR *display_name )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );
    char *name;
    HRESULT hr;

    TRACE( "%p, %p, %#lx, %p.\n", iface, uid, flags, display_name );

    if (liveness_dead( admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!uid || !display_name) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!is_service_section( admin->profile, uid )) return MAPI_E_NOT_FOUND;
    if (!(name = strdupA_flags( display_name, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    hr = write_string( admin->profile, uid, PR_DISPLAY_NAME_A, name );
    free( name );
    if (SUCCEEDED(hr)) session_profile_changed( admin->profile );
    return hr;
}

static HRESULT WINAPI msgsvc_admin_ConfigureMsgService( IMsgServiceAdmin *iface, MAPIUID *uid, ULONG_PTR ui_param,
                                                        ULONG flags, ULONG count, SPropValue *props )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );
    HRESULT hr;

    TRACE( "%p, %p, %#Ix, %#lx, %lu, %p.\n", iface, uid, ui_param, flags, count, props );

    if (liveness_dead( admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!uid || (count && !props)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | SERVICE_UI_ALWAYS | SERVICE_UI_ALLOWED | MSG_SERVICE_UI_READ_ONLY))
        return MAPI_E_UNKNOWN_FLAGS;
    if (!is_service_section( admin->profile, uid )) return MAPI_E_NOT_FOUND;
    /* there is no property sheet to show */
    if (flags & SERVICE_UI_ALWAYS) return MAPI_E_NO_SUPPORT;
    hr = call_service_entry( admin, uid, ui_param, flags & ~SERVICE_UI_ALLOWED, MSG_SERVICE_CONFIGURE,
                             count, props );
    if (SUCCEEDED(hr)) session_profile_changed( admin->profile );
    return hr;
}

static HRESULT WINAPI msgsvc_admin_OpenProfileSection( IMsgServiceAdmin *iface, MAPIUID *uid, const IID *iid,
                                                       ULONG flags, IProfSect **section )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );

    TRACE( "%p, %p, %s, %#lx, %p.\n", iface, uid, debugstr_guid(iid), flags, section );

    if (liveness_dead( admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!uid || !section) return MAPI_E_INVALID_PARAMETER;
    *section = NULL;
    if (iid && !IsEqualIID( iid, &IID_IProfSect ) && !IsEqualIID( iid, &IID_IMAPIProp )
            && !IsEqualIID( iid, &IID_IUnknown ))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (flags & ~(MAPI_MODIFY | MAPI_DEFERRED_ERRORS)) return MAPI_E_UNKNOWN_FLAGS;
    return profsect_create( admin->owner, admin->profile, uid, flags, section );
}

static HRESULT WINAPI msgsvc_admin_MsgServiceTransportOrder( IMsgServiceAdmin *iface, ULONG count, MAPIUID *uids,
                                                             ULONG flags )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );
    ULONG i;

    TRACE( "%p, %lu, %p, %#lx.\n", iface, count, uids, flags );

    if (liveness_dead( admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!uids || !count) return MAPI_E_INVALID_PARAMETER;
    if (flags) return MAPI_E_UNKNOWN_FLAGS;
    /* the order is kept as each transport's PR_PROVIDER_ORDINAL */
    for (i = 0; i < count; i++)
        if (FAILED(write_long( admin->profile, &uids[i], PR_PROVIDER_ORDINAL, i ))) return MAPI_E_NOT_FOUND;
    return S_OK;
}

static HRESULT WINAPI msgsvc_admin_AdminProviders( IMsgServiceAdmin *iface, MAPIUID *uid, ULONG flags,
                                                   IProviderAdmin **out )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );

    TRACE( "%p, %p, %#lx, %p.\n", iface, uid, flags, out );

    if (liveness_dead( admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!uid || !out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!is_service_section( admin->profile, uid )) return MAPI_E_NOT_FOUND;
    return provider_admin_create( admin, uid, out );
}

static HRESULT WINAPI msgsvc_admin_SetPrimaryIdentity( IMsgServiceAdmin *iface, MAPIUID *uid, ULONG flags )
{
    FIXME( "%p, %p, %#lx stub!\n", iface, uid, flags );
    if (liveness_dead( impl_from_IMsgServiceAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    return MAPI_E_NO_SUPPORT;
}

static const SizedSPropTagArray(7, provider_columns) =
{
    7, { PR_INSTANCE_KEY, PR_PROVIDER_UID, PR_SERVICE_UID, PR_RESOURCE_TYPE, PR_PROVIDER_DLL_NAME_A,
         PR_DISPLAY_NAME_A, PR_PROVIDER_DISPLAY_A }
};

static HRESULT WINAPI msgsvc_admin_GetProviderTable( IMsgServiceAdmin *iface, ULONG flags, IMAPITable **table )
{
    struct msgsvc_admin *admin = impl_from_IMsgServiceAdmin( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (liveness_dead( admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return sections_table( admin->owner, admin->profile, SECTION_PROVIDER, NULL,
                           (const SPropTagArray *)&provider_columns, flags, table );
}

static const IMsgServiceAdminVtbl msgsvc_admin_vtbl =
{
    msgsvc_admin_QueryInterface,
    msgsvc_admin_AddRef,
    msgsvc_admin_Release,
    msgsvc_admin_GetLastError,
    msgsvc_admin_GetMsgServiceTable,
    msgsvc_admin_CreateMsgService,
    msgsvc_admin_DeleteMsgService,
    msgsvc_admin_CopyMsgService,
    msgsvc_admin_RenameMsgService,
    msgsvc_admin_ConfigureMsgService,
    msgsvc_admin_OpenProfileSection,
    msgsvc_admin_MsgServiceTransportOrder,
    msgsvc_admin_AdminProviders,
    msgsvc_admin_SetPrimaryIdentity,
    msgsvc_admin_GetProviderTable,
};

HRESULT msgsvc_admin_create( struct liveness *owner, const WCHAR *profile, IMsgServiceAdmin **out )
{
    struct msgsvc_admin *admin;

    *out = NULL;
    if (!(admin = calloc( 1, sizeof(*admin) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    admin->IMsgServiceAdmin_iface.lpVtbl = &msgsvc_admin_vtbl;
    admin->refcount = 1;
    if (!(admin->profile = wcsdup( profile )))
    {
        free( admin );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    liveness_addref( owner );
    admin->owner = owner;
    *out = &admin->IMsgServiceAdmin_iface;
    return S_OK;
}

struct provider_admin
{
    IProviderAdmin IProviderAdmin_iface;
    LONG refcount;
    struct msgsvc_admin *admin;
    MAPIUID service;
};

static inline struct provider_admin *impl_from_IProviderAdmin( IProviderAdmin *iface )
{
    return CONTAINING_RECORD( iface, struct provider_admin, IProviderAdmin_iface );
}

static HRESULT WINAPI provider_admin_QueryInterface( IProviderAdmin *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (IsEqualIID( riid, &IID_IProviderAdmin ) || IsEqualIID( riid, &IID_IUnknown ))
    {
        *out = iface;
        IProviderAdmin_AddRef( iface );
        return S_OK;
    }

    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI provider_admin_AddRef( IProviderAdmin *iface )
{
    struct provider_admin *admin = impl_from_IProviderAdmin( iface );
    ULONG refcount = InterlockedIncrement( &admin->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI provider_admin_Release( IProviderAdmin *iface )
{
    struct provider_admin *admin = impl_from_IProviderAdmin( iface );
    ULONG refcount = InterlockedDecrement( &admin->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    if (!refcount)
    {
        IMsgServiceAdmin_Release( &admin->admin->IMsgServiceAdmin_iface );
        free( admin );
    }
    return refcount;
}

static HRESULT WINAPI provider_admin_GetLastError( IProviderAdmin *iface, HRESULT result, ULONG flags,
                                                   MAPIERROR **error )
{
    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (liveness_dead( impl_from_IProviderAdmin( iface )->admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI provider_admin_GetProviderTable( IProviderAdmin *iface, ULONG flags, IMAPITable **table )
{
    struct provider_admin *admin = impl_from_IProviderAdmin( iface );

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (liveness_dead( admin->admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    return sections_table( admin->admin->owner, admin->admin->profile, SECTION_PROVIDER, &admin->service,
                           (const SPropTagArray *)&provider_columns, flags, table );
}

static HRESULT WINAPI provider_admin_CreateProvider( IProviderAdmin *iface, WCHAR *provider, ULONG count,
                                                     SPropValue *props, ULONG_PTR ui_param, ULONG flags,
                                                     MAPIUID *uid )
{
    struct provider_admin *admin = impl_from_IProviderAdmin( iface );
    const struct mapisvc_section *section;
    struct mapisvc_inf *inf;
    IProfSect *profsect;
    char *name;
    HRESULT hr;

    TRACE( "%p, %p, %lu, %p, %#Ix, %#lx, %p.\n", iface, provider, count, props, ui_param, flags, uid );

    if (liveness_dead( admin->admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!provider || !uid || (count && !props)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(MAPI_UNICODE | MAPI_DIALOG)) return MAPI_E_UNKNOWN_FLAGS;
    if (!(name = strdupA_flags( provider, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;

    if (SUCCEEDED(hr = mapisvc_load( &inf )))
    {
        if (!(section = mapisvc_find_section( inf, name ))) hr = MAPI_E_NOT_FOUND;
        else hr = create_provider_section( admin->admin->profile, &admin->service, section, uid );
        mapisvc_free( inf );
    }
    /* the caller's properties go on top of those from mapisvc.inf */
    if (SUCCEEDED(hr) && count
            && SUCCEEDED(hr = profsect_create( NULL, admin->admin->profile, uid, MAPI_MODIFY, &profsect )))
    {
        hr = IProfSect_SetProps( profsect, count, props, NULL );
        IProfSect_Release( profsect );
        if (FAILED(hr)) delete_section( admin->admin->profile, uid );
    }
    free( name );
    if (SUCCEEDED(hr)) session_profile_changed( admin->admin->profile );
    return hr;
}

static HRESULT WINAPI provider_admin_DeleteProvider( IProviderAdmin *iface, MAPIUID *uid )
{
    struct provider_admin *admin = impl_from_IProviderAdmin( iface );
    BYTE *data;
    DWORD size;
    HRESULT hr;

    TRACE( "%p, %p.\n", iface, uid );

    if (liveness_dead( admin->admin->owner )) return MAPI_E_INVALID_OBJECT;
    if (!uid) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(profile_section_read( admin->admin->profile, uid, PR_PROVIDER_UID, &data, &size )))
        return MAPI_E_NOT_FOUND;
    free( data );
    if (!section_service_is( admin->admin->profile, uid, &admin->service )) return MAPI_E_NOT_FOUND;
    if (SUCCEEDED(hr = delete_section( admin->admin->profile, uid ))) session_profile_changed( admin->admin->profile );
    return hr;
}

static HRESULT WINAPI provider_admin_OpenProfileSection( IProviderAdmin *iface, MAPIUID *uid, const IID *iid,
                                                         ULONG flags, IProfSect **section )
{
    struct provider_admin *admin = impl_from_IProviderAdmin( iface );

    TRACE( "%p, %p, %s, %#lx, %p.\n", iface, uid, debugstr_guid(iid), flags, section );

    if (liveness_dead( admin->admin->owner )) return MAPI_E_INVALID_OBJECT;
    return IMsgServiceAdmin_OpenProfileSection( &admin->admin->IMsgServiceAdmin_iface, uid, iid, flags, section );
}

static const IProviderAdminVtbl provider_admin_vtbl =
{
    provider_admin_QueryInterface,
    provider_admin_AddRef,
    provider_admin_Release,
    provider_admin_GetLastError,
    provider_admin_GetProviderTable,
    provider_admin_CreateProvider,
    provider_admin_DeleteProvider,
    provider_admin_OpenProfileSection,
};

static HRESULT provider_admin_create( struct msgsvc_admin *admin, const MAPIUID *service, IProviderAdmin **out )
{
    struct provider_admin *object;

    *out = NULL;
    if (!(object = calloc( 1, sizeof(*object) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    object->IProviderAdmin_iface.lpVtbl = &provider_admin_vtbl;
    object->refcount = 1;
    object->admin = admin;
    object->service = *service;
    IMsgServiceAdmin_AddRef( &admin->IMsgServiceAdmin_iface );
    *out = &object->IProviderAdmin_iface;
    return S_OK;
}

/*
 * The support object a service entry point gets.  Only the methods a
 * configuration support object has work; every other one returns
 * MAPI_E_NO_SUPPORT, StoreLogoffTransports and ModifyProfile included.
 * Services do not AddRef it, but some release it after the entry point
 * returns, so it lives by its refcount.
 */
struct config_support
{
    IMAPISupport IMAPISupport_iface;
    LONG refcount;
    WCHAR *profile;
};

static inline struct config_support *impl_from_IMAPISupport( IMAPISupport *iface )
{
    return CONTAINING_RECORD( iface, struct config_support, IMAPISupport_iface );
}

static HRESULT WINAPI config_support_QueryInterface( IMAPISupport *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (IsEqualIID( riid, &IID_IMAPISupport ) || IsEqualIID( riid, &IID_IUnknown ))
    {
        *out = iface;
        IMAPISupport_AddRef( iface );
        return S_OK;
    }

    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI config_support_AddRef( IMAPISupport *iface )
{
    struct config_support *support = impl_from_IMAPISupport( iface );
    ULONG refcount = InterlockedIncrement( &support->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI config_support_Release( IMAPISupport *iface )
{
    struct config_support *support = impl_from_IMAPISupport( iface );
    ULONG refcount = InterlockedDecrement( &support->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    if (!refcount)
    {
        free( support->profile );
        free( support );
    }
    return refcount;
}

static HRESULT WINAPI config_support_GetLastError( IMAPISupport *iface, HRESULT result, ULONG flags,
                                                   MAPIERROR **error )
{
    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (!error) return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI config_support_GetMemAllocRoutines( IMAPISupport *iface, ALLOCATEBUFFER **allocate_buffer,
                                                          ALLOCATEMORE **allocate_more, FREEBUFFER **free_buffer )
{
    TRACE( "%p, %p, %p, %p.\n", iface, allocate_buffer, allocate_more, free_buffer );

    if (allocate_buffer) *allocate_buffer = MAPIAllocateBuffer;
    if (allocate_more) *allocate_more = MAPIAllocateMore;
    if (free_buffer) *free_buffer = MAPIFreeBuffer;
    return S_OK;
}

static HRESULT WINAPI config_support_Subscribe( IMAPISupport *iface, NOTIFKEY *key, ULONG event_mask, ULONG flags,
                                                IMAPIAdviseSink *sink, ULONG_PTR *connection )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_Unsubscribe( IMAPISupport *iface, ULONG_PTR connection )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_Notify( IMAPISupport *iface, NOTIFKEY *key, ULONG count,
                                             NOTIFICATION *notifications, ULONG *flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_ModifyStatusRow( IMAPISupport *iface, ULONG count, SPropValue *columns,
                                                      ULONG flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_OpenProfileSection( IMAPISupport *iface, MAPIUID *uid, ULONG flags,
                                                         IProfSect **section )
{
    struct config_support *support = impl_from_IMAPISupport( iface );

    TRACE( "%p, %p, %#lx, %p.\n", iface, uid, flags, section );

    if (!uid || !section) return MAPI_E_INVALID_PARAMETER;
    return profsect_create( NULL, support->profile, uid, flags, section );
}

static HRESULT WINAPI config_support_RegisterPreprocessor( IMAPISupport *iface, MAPIUID *uid, WCHAR *address_type,
                                                           WCHAR *dll_name, char *preprocess,
                                                           char *remove_preprocess_info, ULONG flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_NewUID( IMAPISupport *iface, MAPIUID *uid )
{
    TRACE( "%p, %p.\n", iface, uid );

    if (!uid) return MAPI_E_INVALID_PARAMETER;
    profile_new_uid( uid );
    return S_OK;
}

static HRESULT WINAPI config_support_MakeInvalid( IMAPISupport *iface, ULONG flags, void *object, ULONG refcount,
                                                  ULONG method_count )
{
    FIXME( "%p, %#lx, %p, %lu, %lu semi-stub!\n", iface, flags, object, refcount, method_count );
    return S_OK;
}

static HRESULT WINAPI config_support_SpoolerYield( IMAPISupport *iface, ULONG flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_SpoolerNotify( IMAPISupport *iface, ULONG flags, void *data )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_CreateOneOff( IMAPISupport *iface, WCHAR *name, WCHAR *address_type,
                                                   WCHAR *address, ULONG flags, ULONG *entry_size, ENTRYID **entry )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_SetProviderUID( IMAPISupport *iface, MAPIUID *provider_uid, ULONG flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_CompareEntryIDs( IMAPISupport *iface, ULONG size1, ENTRYID *entry1,
                                                      ULONG size2, ENTRYID *entry2, ULONG flags, ULONG *result )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_OpenTemplateID( IMAPISupport *iface, ULONG template_size, ENTRYID *template_id,
                                                     ULONG template_flags, IMAPIProp *data, const IID *iid,
                                                     IMAPIProp **prop_new, IMAPIProp *sibling )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_OpenEntry( IMAPISupport *iface, ULONG entry_size, ENTRYID *entry,
                                                const IID *iid, ULONG flags, ULONG *obj_type, IUnknown **unk )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_GetOneOffTable( IMAPISupport *iface, ULONG flags, IMAPITable **table )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_Address( IMAPISupport *iface, ULONG_PTR *ui_param, LPADRPARM params,
                                              ADRLIST **list )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_Details( IMAPISupport *iface, ULONG_PTR *ui_param, LPFNDISMISS dismiss,
                                              void *dismiss_context, ULONG entry_size, ENTRYID *entry,
                                              LPFNBUTTON button_callback, void *button_context, WCHAR *button_text,
                                              ULONG flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_NewEntry( IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags,
                                               ULONG container_size, ENTRYID *container, ULONG template_size,
                                               ENTRYID *template_id, ULONG *new_entry_size, ENTRYID **new_entry )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_DoConfigPropsheet( IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags,
                                                        WCHAR *title, IMAPITable *display_table,
                                                        IMAPIProp *config_data, ULONG top_page )
{
    FIXME( "%p, %#Ix, %#lx, %p, %p, %p, %lu: no property sheets.\n", iface, ui_param, flags, title,
           display_table, config_data, top_page );
    /* as if the user had dismissed the sheet */
    return MAPI_E_USER_CANCEL;
}

static HRESULT WINAPI config_support_CopyMessages( IMAPISupport *iface, const IID *src_iid, void *src_folder,
                                                   ENTRYLIST *messages, const IID *dst_iid, void *dst_folder,
                                                   ULONG_PTR ui_param, IMAPIProgress *progress, ULONG flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_CopyFolder( IMAPISupport *iface, const IID *src_iid, void *src_folder,
                                                 ULONG entry_size, ENTRYID *entry, const IID *dst_iid,
                                                 void *dst_folder, WCHAR *new_name, ULONG_PTR ui_param,
                                                 IMAPIProgress *progress, ULONG flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_DoCopyTo( IMAPISupport *iface, const IID *src_iid, void *src_obj,
                                               ULONG exclude_iid_count, const IID *exclude_iids,
                                               SPropTagArray *exclude_props, ULONG_PTR ui_param,
                                               IMAPIProgress *progress, const IID *dst_iid, void *dst_obj,
                                               ULONG flags, SPropProblemArray **problems )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_DoCopyProps( IMAPISupport *iface, const IID *src_iid, void *src_obj,
                                                  SPropTagArray *include_props, ULONG_PTR ui_param,
                                                  IMAPIProgress *progress, const IID *dst_iid, void *dst_obj,
                                                  ULONG flags, SPropProblemArray **problems )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_DoProgressDialog( IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags,
                                                       IMAPIProgress **progress )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_ReadReceipt( IMAPISupport *iface, ULONG flags, IMessage *read_message,
                                                  IMessage **empty_message )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_PrepareSubmit( IMAPISupport *iface, IMessage *message, ULONG *flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_ExpandRecips( IMAPISupport *iface, IMessage *message, ULONG *flags )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_UpdatePAB( IMAPISupport *iface, ULONG flags, IMessage *message )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_DoSentMail( IMAPISupport *iface, ULONG flags, IMessage *message )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_OpenAddressBook( IMAPISupport *iface, const IID *iid, ULONG flags,
                                                      IAddrBook **address_book )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_Preprocess( IMAPISupport *iface, ULONG flags, ULONG entry_size, ENTRYID *entry )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_CompleteMsg( IMAPISupport *iface, ULONG flags, ULONG entry_size,
                                                  ENTRYID *entry )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_StoreLogoffTransports( IMAPISupport *iface, ULONG *flags )
{
    TRACE( "%p, %p.\n", iface, flags );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_StatusRecips( IMAPISupport *iface, IMessage *message, ADRLIST *recipients )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_WrapStoreEntryID( IMAPISupport *iface, ULONG orig_size, ENTRYID *orig_entry,
                                                       ULONG *wrapped_size, ENTRYID **wrapped_entry )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_ModifyProfile( IMAPISupport *iface, ULONG flags )
{
    TRACE( "%p, %#lx.\n", iface, flags );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_IStorageFromStream( IMAPISupport *iface, IUnknown *stream, const IID *iid,
                                                         ULONG flags, IStorage **storage )
{
    TRACE( "%p.\n", iface );
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI config_support_GetSvcConfigSupportObj( IMAPISupport *iface, ULONG flags,
                                                             IMAPISupport **support )
{
    TRACE( "%p, %#lx, %p.\n", iface, flags, support );

    if (!support) return MAPI_E_INVALID_PARAMETER;
    /* this already is one */
    *support = iface;
    IMAPISupport_AddRef( iface );
    return S_OK;
}

static const IMAPISupportVtbl config_support_vtbl =
{
    config_support_QueryInterface,
    config_support_AddRef,
    config_support_Release,
    config_support_GetLastError,
    config_support_GetMemAllocRoutines,
    config_support_Subscribe,
    config_support_Unsubscribe,
    config_support_Notify,
    config_support_ModifyStatusRow,
    config_support_OpenProfileSection,
    config_support_RegisterPreprocessor,
    config_support_NewUID,
    config_support_MakeInvalid,
    config_support_SpoolerYield,
    config_support_SpoolerNotify,
    config_support_CreateOneOff,
    config_support_SetProviderUID,
    config_support_CompareEntryIDs,
    config_support_OpenTemplateID,
    config_support_OpenEntry,
    config_support_GetOneOffTable,
    config_support_Address,
    config_support_Details,
    config_support_NewEntry,
    config_support_DoConfigPropsheet,
    config_support_CopyMessages,
    config_support_CopyFolder,
    config_support_DoCopyTo,
    config_support_DoCopyProps,
    config_support_DoProgressDialog,
    config_support_ReadReceipt,
    config_support_PrepareSubmit,
    config_support_ExpandRecips,
    config_support_UpdatePAB,
    config_support_DoSentMail,
    config_support_OpenAddressBook,
    config_support_Preprocess,
    config_support_CompleteMsg,
    config_support_StoreLogoffTransports,
    config_support_StatusRecips,
    config_support_WrapStoreEntryID,
    config_support_ModifyProfile,
    config_support_IStorageFromStream,
    config_support_GetSvcConfigSupportObj,
};

static HRESULT config_support_create( const WCHAR *profile, IMAPISupport **out )
{
    struct config_support *support;

    *out = NULL;
    if (!(support = calloc( 1, sizeof(*support) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    support->IMAPISupport_iface.lpVtbl = &config_support_vtbl;
    support->refcount = 1;
    if (!(support->profile = wcsdup( profile )))
    {
        free( support );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *out = &support->IMAPISupport_iface;
    return S_OK;
}
