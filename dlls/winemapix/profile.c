/*
 * MAPI profiles: registry storage and IProfAdmin
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

/* where Windows Messaging keeps its profiles, so other MAPI implementations see the same ones */
static const WCHAR profiles_keyW[] =
    L"Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles";

/* profile names: up to 64 characters, no leading or trailing space (IProfAdmin::CreateProfile) */
#define MAX_PROFILE_NAME 64

void profile_uid_to_name( const MAPIUID *uid, WCHAR name[33] )
{
    static const WCHAR hex[] = L"0123456789abcdef";
    unsigned int i;

    for (i = 0; i < sizeof(uid->ab); i++)
    {
        name[2 * i] = hex[uid->ab[i] >> 4];
        name[2 * i + 1] = hex[uid->ab[i] & 0xf];
    }
    name[32] = 0;
}

static int hex_value( WCHAR c )
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

BOOL profile_name_to_uid( const WCHAR *name, MAPIUID *uid )
{
    unsigned int i;
    int hi, lo;

    for (i = 0; i < sizeof(uid->ab); i++)
    {
        if ((hi = hex_value( name[2 * i] )) < 0 || (lo = hex_value( name[2 * i + 1] )) < 0) return FALSE;
        uid->ab[i] = (hi << 4) | lo;
    }
    return !name[32];
}

void profile_new_uid( MAPIUID *uid )
{
    GUID guid;

    CoCreateGuid( &guid );
    memcpy( uid->ab, &guid, sizeof(uid->ab) );
}

static HRESULT hr_from_win32( LONG err )
{
    switch (err)
    {
    case ERROR_SUCCESS: return S_OK;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND: return MAPI_E_NOT_FOUND;
    case ERROR_ACCESS_DENIED: return MAPI_E_NO_ACCESS;
    case ERROR_OUTOFMEMORY:
    case ERROR_NOT_ENOUGH_MEMORY: return MAPI_E_NOT_ENOUGH_MEMORY;
    default: return MAPI_E_CALL_FAILED;
    }
}

static HRESULT open_profiles_key( BOOL create, REGSAM access, HKEY *key )
{
    if (create)
        return hr_from_win32( RegCreateKeyExW( HKEY_CURRENT_USER, profiles_keyW, 0, NULL, 0, access, NULL, key, NULL ) );
    return hr_from_win32( RegOpenKeyExW( HKEY_CURRENT_USER, profiles_keyW, 0, access, key ) );
}

static BOOL valid_profile_name( const WCHAR *name )
{
    size_t len;

    if (!name || !(len = wcslen( name )) || len > MAX_PROFILE_NAME) return FALSE;
    if (name[0] == ' ' || name[len - 1] == ' ') return FALSE;
    /* a backslash would reach into another key */
    return !wcschr( name, '\\' );
}

HRESULT profile_open( const WCHAR *profile, REGSAM access, HKEY *key )
{
    HKEY profiles;
    HRESULT hr;

    *key = NULL;
    if (!valid_profile_name( profile )) return MAPI_E_NOT_FOUND;
    if (FAILED(hr = open_profiles_key( FALSE, KEY_READ, &profiles ))) return hr;
    hr = hr_from_win32( RegOpenKeyExW( profiles, profile, 0, access, key ) );
    RegCloseKey( profiles );
    return hr;
}

HRESULT profile_get_default( WCHAR **profile )
{
    DWORD type, size = 0;
    HKEY profiles;
    WCHAR *name;
    LONG err;

    *profile = NULL;
    if (open_profiles_key( FALSE, KEY_READ, &profiles )) return MAPI_E_NOT_FOUND;
    err = RegQueryValueExW( profiles, L"DefaultProfile", NULL, &type, NULL, &size );
    if (err || type != REG_SZ || size < sizeof(WCHAR))
    {
        RegCloseKey( profiles );
        return MAPI_E_NOT_FOUND;
    }
    if (!(name = calloc( 1, size + sizeof(WCHAR) )))
    {
        RegCloseKey( profiles );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    err = RegQueryValueExW( profiles, L"DefaultProfile", NULL, &type, (BYTE *)name, &size );
    RegCloseKey( profiles );
    if (err || !name[0])
    {
        free( name );
        return MAPI_E_NOT_FOUND;
    }
    *profile = name;
    return S_OK;
}

HRESULT profile_section_open_key( const WCHAR *profile, const MAPIUID *uid, BOOL create, REGSAM access, HKEY *key )
{
    WCHAR name[33];
    HKEY profile_key;
    HRESULT hr;

    *key = NULL;
    if (FAILED(hr = profile_open( profile, KEY_READ | KEY_CREATE_SUB_KEY, &profile_key ))) return hr;
    profile_uid_to_name( uid, name );
    if (create)
        hr = hr_from_win32( RegCreateKeyExW( profile_key, name, 0, NULL, 0, access, NULL, key, NULL ) );
    else
        hr = hr_from_win32( RegOpenKeyExW( profile_key, name, 0, access, key ) );
    RegCloseKey( profile_key );
    return hr;
}

HRESULT profile_section_write( const WCHAR *profile, const MAPIUID *uid, ULONG tag, const void *data, DWORD size )
{
    WCHAR name[9];
    HRESULT hr;
    HKEY key;

    if (FAILED(hr = profile_section_open_key( profile, uid, TRUE, KEY_SET_VALUE, &key ))) return hr;
    swprintf( name, ARRAY_SIZE(name), L"%08lx", tag );
    hr = hr_from_win32( RegSetValueExW( key, name, 0, REG_BINARY, data, size ) );
    RegCloseKey( key );
    return hr;
}

HRESULT profile_section_read( const WCHAR *profile, const MAPIUID *uid, ULONG tag, BYTE **data, DWORD *size )
{
    WCHAR name[9];
    HRESULT hr;
    HKEY key;
    LONG err;

    *data = NULL;
    *size = 0;
    if (FAILED(hr = profile_section_open_key( profile, uid, FALSE, KEY_QUERY_VALUE, &key ))) return hr;
    swprintf( name, ARRAY_SIZE(name), L"%08lx", tag );
    if (!(err = RegQueryValueExW( key, name, NULL, NULL, NULL, size )))
    {
        /* spare NULs so string readers never run off the end: two WCHARs,
         * as a value of odd size ends in the middle of one */
        if (!(*data = calloc( 1, *size + 2 * sizeof(WCHAR) ))) err = ERROR_OUTOFMEMORY;
        else if ((err = RegQueryValueExW( key, name, NULL, NULL, *data, size )))
        {
            free( *data );
            *data = NULL;
        }
    }
    RegCloseKey( key );
    return hr_from_win32( err );
}

static BOOL read_section_long( const WCHAR *profile, const MAPIUID *uid, ULONG tag, ULONG *value )
{
    BYTE *data;
    DWORD size;
    BOOL ret;

    if (FAILED(profile_section_read( profile, uid, tag, &data, &size ))) return FALSE;
    if ((ret = size == sizeof(*value))) memcpy( value, data, sizeof(*value) );
    free( data );
    return ret;
}

static BOOL read_section_uid( const WCHAR *profile, const MAPIUID *uid, ULONG tag, MAPIUID *value )
{
    BYTE *data;
    DWORD size;
    BOOL ret;

    if (FAILED(profile_section_read( profile, uid, tag, &data, &size ))) return FALSE;
    if ((ret = size == sizeof(*value))) memcpy( value, data, sizeof(*value) );
    free( data );
    return ret;
}

void profile_free_providers( struct profile_provider *providers, unsigned int count )
{
    unsigned int i;

    for (i = 0; i < count; i++) free( providers[i].dll_name );
    free( providers );
}

HRESULT profile_enum_providers( const WCHAR *profile, ULONG resource_type,
                                struct profile_provider **ret, unsigned int *ret_count )
{
    struct profile_provider *providers = NULL, *tmp;
    unsigned int count = 0;
    WCHAR name[64];
    HKEY profile_key;
    MAPIUID uid, provider_uid;
    ULONG type, flags;
    DWORD index, len, size;
    HRESULT hr;
    BYTE *dll;

    *ret = NULL;
    *ret_count = 0;
    if (FAILED(hr = profile_open( profile, KEY_READ, &profile_key ))) return hr;

    for (index = 0; ; index++)
    {
        len = ARRAY_SIZE(name);
        if (RegEnumKeyExW( profile_key, index, name, &len, NULL, NULL, NULL, NULL )) break;
        if (!profile_name_to_uid( name, &uid )) continue;
        /* provider sections carry their own PR_PROVIDER_UID; service sections do not */
        if (!read_section_uid( profile, &uid, PR_PROVIDER_UID, &provider_uid )) continue;
        if (!read_section_long( profile, &uid, PR_RESOURCE_TYPE, &type )) continue;
        if (resource_type && type != resource_type) continue;
        if (!read_section_long( profile, &uid, PR_RESOURCE_FLAGS, &flags )) flags = 0;

        if (!(tmp = realloc( providers, (count + 1) * sizeof(*providers) )))
        {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        providers = tmp;
        memset( &providers[count], 0, sizeof(providers[count]) );
        providers[count].uid = uid;
        read_section_uid( profile, &uid, PR_SERVICE_UID, &providers[count].service_uid );
        providers[count].resource_type = type;
        providers[count].resource_flags = flags;
        if (SUCCEEDED(profile_section_read( profile, &uid, PR_PROVIDER_DLL_NAME_A, &dll, &size )))
            providers[count].dll_name = (char *)dll;
        count++;
    }
    RegCloseKey( profile_key );

    if (FAILED(hr))
    {
        profile_free_providers( providers, count );
        return hr;
    }
    *ret = providers;
    *ret_count = count;
    return S_OK;
}

/* strings follow the MAPI_UNICODE flag of the call */
static WCHAR *strdup_flags( const void *str, ULONG flags )
{
    WCHAR *ret;
    int len;

    if (!str) return NULL;
    if (flags & MAPI_UNICODE) return wcsdup( str );
    len = MultiByteToWideChar( CP_ACP, 0, str, -1, NULL, 0 );
    if (!(ret = malloc( len * sizeof(WCHAR) ))) return NULL;
    MultiByteToWideChar( CP_ACP, 0, str, -1, ret, len );
    return ret;
}

static BOOL profile_exists( const WCHAR *name )
{
    HKEY key;

    if (FAILED(profile_open( name, KEY_READ, &key ))) return FALSE;
    RegCloseKey( key );
    return TRUE;
}

static HRESULT copy_key( HKEY src, HKEY dst )
{
    return hr_from_win32( RegCopyTreeW( src, NULL, dst ) );
}

struct profile_admin
{
    IProfAdmin IProfAdmin_iface;
    LONG refcount;
    struct liveness *owner;     /* the process-wide one: R7.11 */
};

static inline struct profile_admin *impl_from_IProfAdmin( IProfAdmin *iface )
{
    return CONTAINING_RECORD( iface, struct profile_admin, IProfAdmin_iface );
}

static HRESULT WINAPI profile_admin_QueryInterface( IProfAdmin *iface, REFIID riid, void **out )
{
    TRACE( "%p, %s, %p.\n", iface, debugstr_guid(riid), out );

    if (IsEqualIID( riid, &IID_IProfAdmin ) || IsEqualIID( riid, &IID_IUnknown ))
    {
        *out = iface;
        IProfAdmin_AddRef( iface );
        return S_OK;
    }

    WARN( "Unsupported %s.\n", debugstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI profile_admin_AddRef( IProfAdmin *iface )
{
    struct profile_admin *admin = impl_from_IProfAdmin( iface );
    ULONG refcount = InterlockedIncrement( &admin->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    return refcount;
}

static ULONG WINAPI profile_admin_Release( IProfAdmin *iface )
{
    struct profile_admin *admin = impl_from_IProfAdmin( iface );
    ULONG refcount = InterlockedDecrement( &admin->refcount );

    TRACE( "%p, refcount %lu.\n", iface, refcount );
    if (!refcount)
    {
        liveness_release( admin->owner );
        free( admin );
    }
    return refcount;
}

static HRESULT WINAPI profile_admin_GetLastError( IProfAdmin *iface, HRESULT result, ULONG flags, MAPIERROR **error )
{
    TRACE( "%p, %#lx, %#lx, %p.\n", iface, result, flags, error );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (!error) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    /* no extended error information is kept */
    *error = NULL;
    return S_OK;
}

static HRESULT WINAPI profile_admin_GetProfileTable( IProfAdmin *iface, ULONG flags, IMAPITable **table )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_DISPLAY_NAME_A, PR_DEFAULT_PROFILE } };
    WCHAR name[MAX_PROFILE_NAME + 2], *def = NULL;
    SPropValue props[2];
    ITableData *data;
    SRow row;
    HKEY profiles;
    DWORD index, len;
    HRESULT hr;
    char nameA[3 * (MAX_PROFILE_NAME + 2)];

    TRACE( "%p, %#lx, %p.\n", iface, flags, table );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (!table) return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (flags & MAPI_UNICODE) FIXME( "MAPI_UNICODE columns not supported.\n" );

    if (FAILED(hr = CreateTable( &IID_IMAPITableData, MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, NULL,
                                 TBLTYPE_DYNAMIC, PR_DISPLAY_NAME_A, (SPropTagArray *)&columns, &data )))
        return hr;

    profile_get_default( &def );
    if (!open_profiles_key( FALSE, KEY_READ, &profiles ))
    {
        for (index = 0; SUCCEEDED(hr); index++)
        {
            len = ARRAY_SIZE(name);
            if (RegEnumKeyExW( profiles, index, name, &len, NULL, NULL, NULL, NULL )) break;
            if (!valid_profile_name( name )) continue;
            WideCharToMultiByte( CP_ACP, 0, name, -1, nameA, sizeof(nameA), NULL, NULL );
            props[0].ulPropTag = PR_DISPLAY_NAME_A;
            props[0].Value.lpszA = nameA;
            props[1].ulPropTag = PR_DEFAULT_PROFILE;
            props[1].Value.b = def && !wcsicmp( def, name );
            row.cValues = 2;
            row.lpProps = props;
            hr = ITableData_HrModifyRow( data, &row );
        }
        RegCloseKey( profiles );
    }
    free( def );

    if (SUCCEEDED(hr)) hr = table_data_get_view( data, impl_from_IProfAdmin( iface )->owner, table );
    ITableData_Release( data );
    return hr;
}

static HRESULT create_profile( const WCHAR *name )
{
    HKEY profiles, key;
    DWORD disposition;
    HRESULT hr;

    if (FAILED(hr = open_profiles_key( TRUE, KEY_CREATE_SUB_KEY, &profiles ))) return hr;
    hr = hr_from_win32( RegCreateKeyExW( profiles, name, 0, NULL, 0, KEY_READ, NULL, &key, &disposition ) );
    RegCloseKey( profiles );
    if (FAILED(hr)) return hr;
    RegCloseKey( key );
    /* another process may have created it since we looked */
    return disposition == REG_OPENED_EXISTING_KEY ? MAPI_E_NO_ACCESS : S_OK;
}

static HRESULT delete_profile( const WCHAR *name )
{
    HKEY profiles;
    WCHAR *def;
    HRESULT hr;

    if (FAILED(hr = open_profiles_key( FALSE, KEY_ALL_ACCESS, &profiles ))) return MAPI_E_NOT_FOUND;
    /* given a subkey, RegDeleteTree removes that key as well */
    hr = hr_from_win32( RegDeleteTreeW( profiles, name ) );
    if (SUCCEEDED(hr) && SUCCEEDED(profile_get_default( &def )))
    {
        if (!wcsicmp( def, name )) RegDeleteValueW( profiles, L"DefaultProfile" );
        free( def );
    }
    RegCloseKey( profiles );
    return hr;
}

static HRESULT add_default_services( const WCHAR *profile, ULONG flags )
{
    const struct mapisvc_section *section;
    struct mapisvc_inf *inf;
    IMsgServiceAdmin *admin;
    unsigned int i;
    HRESULT hr;

    if (FAILED(hr = mapisvc_load( &inf ))) return hr;
    if (!(section = mapisvc_find_section( inf, "Default Services" )))
    {
        mapisvc_free( inf );
        return S_OK;
    }
    if (FAILED(hr = msgsvc_admin_create( NULL, profile, &admin )))
    {
        mapisvc_free( inf );
        return hr;
    }
    for (i = 0; i < section->count && SUCCEEDED(hr); i++)
        hr = IMsgServiceAdmin_CreateMsgService( admin, (WCHAR *)section->entries[i].key,
                                                (WCHAR *)section->entries[i].value, 0, 0 );
    IMsgServiceAdmin_Release( admin );
    mapisvc_free( inf );
    return hr;
}

static HRESULT WINAPI profile_admin_CreateProfile( IProfAdmin *iface, WCHAR *profile, WCHAR *password,
                                                   ULONG_PTR ui_param, ULONG flags )
{
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %p, %#Ix, %#lx.\n", iface, profile, password, ui_param, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~(MAPI_DEFAULT_SERVICES | MAPI_DIALOG | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if (!profile) return MAPI_E_INVALID_PARAMETER;
    if (!(name = strdup_flags( profile, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    TRACE( "name %s.\n", debugstr_w(name) );

    if (!valid_profile_name( name ))
    {
        free( name );
        return MAPI_E_INVALID_PARAMETER;
    }
    if (SUCCEEDED(hr = create_profile( name )) && (flags & MAPI_DEFAULT_SERVICES))
    {
        /* a profile whose default services could not be set up is not left behind */
        if (FAILED(hr = add_default_services( name, flags ))) delete_profile( name );
    }
    free( name );
    return hr;
}

static HRESULT WINAPI profile_admin_DeleteProfile( IProfAdmin *iface, WCHAR *profile, ULONG flags )
{
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %#lx.\n", iface, profile, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!profile) return MAPI_E_INVALID_PARAMETER;
    if (!(name = strdup_flags( profile, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    TRACE( "name %s.\n", debugstr_w(name) );

    hr = profile_exists( name ) ? delete_profile( name ) : MAPI_E_NOT_FOUND;
    free( name );
    return hr;
}

static HRESULT WINAPI profile_admin_ChangeProfilePassword( IProfAdmin *iface, WCHAR *profile, WCHAR *old_password,
                                                           WCHAR *new_password, ULONG flags )
{
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %p, %p, %#lx.\n", iface, profile, old_password, new_password, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (!profile) return MAPI_E_INVALID_PARAMETER;
    if (!(name = strdup_flags( profile, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    /* profiles carry no password, so there is nothing to store */
    hr = profile_exists( name ) ? S_OK : MAPI_E_NOT_FOUND;
    free( name );
    return hr;
}

static HRESULT copy_profile( const WCHAR *old_name, const WCHAR *new_name )
{
    HKEY src, dst;
    HRESULT hr;

    if (FAILED(hr = profile_open( old_name, KEY_READ, &src ))) return MAPI_E_NOT_FOUND;
    if (FAILED(hr = create_profile( new_name )))
    {
        RegCloseKey( src );
        return hr;
    }
    if (SUCCEEDED(hr = profile_open( new_name, KEY_ALL_ACCESS, &dst )))
    {
        hr = copy_key( src, dst );
        RegCloseKey( dst );
    }
    RegCloseKey( src );
    if (FAILED(hr)) delete_profile( new_name );
    return hr;
}

static HRESULT WINAPI profile_admin_CopyProfile( IProfAdmin *iface, WCHAR *old_profile, WCHAR *old_password,
                                                 WCHAR *new_profile, ULONG_PTR ui_param, ULONG flags )
{
    WCHAR *old_name, *new_name;
    HRESULT hr;

    TRACE( "%p, %p, %p, %p, %#Ix, %#lx.\n", iface, old_profile, old_password, new_profile, ui_param, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~(MAPI_DIALOG | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if (!old_profile || !new_profile) return MAPI_E_INVALID_PARAMETER;
    old_name = strdup_flags( old_profile, flags );
    new_name = strdup_flags( new_profile, flags );
    if (!old_name || !new_name) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (!valid_profile_name( new_name )) hr = MAPI_E_INVALID_PARAMETER;
    else if (!profile_exists( old_name )) hr = MAPI_E_NOT_FOUND;
    else hr = copy_profile( old_name, new_name );
    free( old_name );
    free( new_name );
    return hr;
}

static HRESULT WINAPI profile_admin_RenameProfile( IProfAdmin *iface, WCHAR *old_profile, WCHAR *old_password,
                                                   WCHAR *new_profile, ULONG_PTR ui_param, ULONG flags )
{
    WCHAR *old_name, *new_name, *def = NULL;
    HKEY profiles;
    HRESULT hr;

    TRACE( "%p, %p, %p, %p, %#Ix, %#lx.\n", iface, old_profile, old_password, new_profile, ui_param, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~(MAPI_DIALOG | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if (!old_profile || !new_profile) return MAPI_E_INVALID_PARAMETER;
    old_name = strdup_flags( old_profile, flags );
    new_name = strdup_flags( new_profile, flags );
    if (!old_name || !new_name) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (!valid_profile_name( new_name )) hr = MAPI_E_INVALID_PARAMETER;
    else if (!profile_exists( old_name )) hr = MAPI_E_NOT_FOUND;
    else
    {
        profile_get_default( &def );
        if (SUCCEEDED(hr = copy_profile( old_name, new_name )))
        {
            delete_profile( old_name );
            /* the default profile stays the default under its new name */
            if (def && !wcsicmp( def, old_name ) && !open_profiles_key( FALSE, KEY_SET_VALUE, &profiles ))
            {
                RegSetValueExW( profiles, L"DefaultProfile", 0, REG_SZ, (BYTE *)new_name,
                                (wcslen( new_name ) + 1) * sizeof(WCHAR) );
                RegCloseKey( profiles );
            }
        }
        free( def );
    }
    free( old_name );
    free( new_name );
    return hr;
}

static HRESULT WINAPI profile_admin_SetDefaultProfile( IProfAdmin *iface, WCHAR *profile, ULONG flags )
{
    HKEY profiles;
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %#lx.\n", iface, profile, flags );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = open_profiles_key( TRUE, KEY_SET_VALUE, &profiles ))) return hr;
    /* a NULL name leaves no default profile */
    if (!profile)
    {
        RegDeleteValueW( profiles, L"DefaultProfile" );
        RegCloseKey( profiles );
        return S_OK;
    }
    if (!(name = strdup_flags( profile, flags ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (!profile_exists( name )) hr = MAPI_E_NOT_FOUND;
    else hr = hr_from_win32( RegSetValueExW( profiles, L"DefaultProfile", 0, REG_SZ, (BYTE *)name,
                                             (wcslen( name ) + 1) * sizeof(WCHAR) ) );
    free( name );
    RegCloseKey( profiles );
    return hr;
}

static HRESULT WINAPI profile_admin_AdminServices( IProfAdmin *iface, WCHAR *profile, WCHAR *password,
                                                   ULONG_PTR ui_param, ULONG flags, IMsgServiceAdmin **admin )
{
    WCHAR *name;
    HRESULT hr;

    TRACE( "%p, %p, %p, %#Ix, %#lx, %p.\n", iface, profile, password, ui_param, flags, admin );

    if (liveness_dead( impl_from_IProfAdmin( iface )->owner )) return MAPI_E_INVALID_OBJECT;
    if (!admin) return MAPI_E_INVALID_PARAMETER;
    *admin = NULL;
    if (flags & ~(MAPI_DIALOG | MAPI_UNICODE)) return MAPI_E_UNKNOWN_FLAGS;
    if (!profile) return MAPI_E_LOGON_FAILED;
    if (!(name = strdup_flags( profile, flags ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    /* an unknown profile is a failed logon to it */
    hr = profile_exists( name ) ? msgsvc_admin_create( impl_from_IProfAdmin( iface )->owner, name, admin )
                                : MAPI_E_LOGON_FAILED;
    free( name );
    return hr;
}

static const IProfAdminVtbl profile_admin_vtbl =
{
    profile_admin_QueryInterface,
    profile_admin_AddRef,
    profile_admin_Release,
    profile_admin_GetLastError,
    profile_admin_GetProfileTable,
    profile_admin_CreateProfile,
    profile_admin_DeleteProfile,
    profile_admin_ChangeProfilePassword,
    profile_admin_CopyProfile,
    profile_admin_RenameProfile,
    profile_admin_SetDefaultProfile,
    profile_admin_AdminServices,
};

/***********************************************************************
 *              MAPIAdminProfiles (winemapix.@)
 */
HRESULT WINAPI MAPIAdminProfiles( ULONG flags, IProfAdmin **out )
{
    struct profile_admin *admin;

    TRACE( "%#lx, %p.\n", flags, out );

    if (!out) return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~MAPI_UNICODE) return MAPI_E_UNKNOWN_FLAGS;

    if (!(admin = calloc( 1, sizeof(*admin) ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (!(admin->owner = liveness_process()))
    {
        free( admin );
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    admin->IProfAdmin_iface.lpVtbl = &profile_admin_vtbl;
    admin->refcount = 1;
    *out = &admin->IProfAdmin_iface;
    return S_OK;
}
