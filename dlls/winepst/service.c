/*
 * winepst: the message service entry point (configuration of "MSUPST MS")
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
 * Programs set up a PST store the way Outlook's service allows:
 * CreateMsgService("MSUPST MS"), then ConfigureMsgService with PR_PST_PATH_W
 * (and optionally PR_DISPLAY_NAME_W, PR_PST_ENCRYPTION ...), then open the
 * store from the message stores table.  Configuration goes into the profile
 * sections of the service's store providers, found through the
 * IProviderAdmin MAPI passes: that is where IMSProvider::Logon reads
 * PR_PST_PATH_W back through its support object's OpenProfileSection(NULL).
 * Configuring also writes what the message stores table lists before the
 * first logon: PR_ENTRYID (the wrapped store entry ID), PR_RECORD_KEY,
 * PR_DISPLAY_NAME and PR_MDB_PROVIDER.
 *
 * A PR_PST_PATH naming a file that does not exist creates a new, empty
 * Unicode store there (create_file), as Outlook's service does; logon
 * never creates files.
 *
 * Passwords (mspst.h): PR_PST_PW_SZ_OLD, read from the property array only,
 * must be the existing file's password when given (a file without one takes
 * ""), else MAPI_E_LOGON_FAILED; PR_PST_PW_SZ_NEW then replaces it ("" removes
 * it), or is the first password of a file being created.  Changing it needs
 * the file's writer: a store logged on for writing in this process holds it
 * (MAPI_E_NO_ACCESS).  The profile remembers the password logon must give
 * (PR_PST_PW_SZ_OLD_W, store.c) when PR_PST_REMEMBER_PW says so, or, without
 * it, when it already remembered one.
 *
 * There is no configuration UI.  Where the documentation requires the
 * dialog (SERVICE_UI_ALWAYS, or SERVICE_UI_ALLOWED without a usable
 * configuration) the call ends as if the user had dismissed it,
 * MAPI_E_USER_CANCEL, which is also what MAPI's DoConfigPropsheet answers
 * here.  Without UI flags an incomplete configuration is
 * MAPI_E_UNCONFIGURED.
 *
 * The support object is a configuration support object (R5.12): it is
 * neither kept nor AddRef'd, and only its GetMemAllocRoutines is used.
 */

#include <stdlib.h>
#include <string.h>

#include "winepst_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winepst);

/* MAPI's wrapper UID for store entry IDs: a wrapped ID is 4 zero bytes,
 * this UID, a version and a flag byte (both 0), the provider DLL name as
 * registered with its NUL, zeros up to a multiple of 4 bytes, then the
 * provider's own store entry ID. */
static const MAPIUID store_wrap_uid =
    {{ 0x38, 0xa1, 0xbb, 0x10, 0x05, 0xe5, 0x10, 0x1a, 0xa1, 0xbb, 0x08, 0x00, 0x2b, 0x2a, 0x56, 0xc2 }};
#define WRAP_HEADER_SIZE (4 + sizeof(MAPIUID) + 2)

/* What the caller's property array asks for */
struct service_config
{
    WCHAR *path;
    WCHAR *display_name;
    BOOL set_encryption;
    LONG encryption;
    BOOL set_remember_password;
    unsigned short remember_password;
    WCHAR *old_password;       /* PR_PST_PW_SZ_OLD, NULL when not given */
    WCHAR *new_password;       /* PR_PST_PW_SZ_NEW, NULL when not given, "" for none */
    const WCHAR *profile_password;  /* what to remember in the profile, or NULL */
};

static void service_config_free( struct service_config *config )
{
    free( config->path );
    free( config->display_name );
    free( config->old_password );
    free( config->new_password );
}

/* A password property: unlike other strings, "" means something (none). */
static HRESULT password_prop( const SPropValue *prop, WCHAR **out )
{
    free( *out );
    *out = NULL;
    if (PROP_TYPE(prop->ulPropTag) == PT_UNICODE)
        *out = wcsdup( prop->Value.lpszW ? prop->Value.lpszW : L"" );
    else *out = strdup_a_to_w( prop->Value.lpszA ? prop->Value.lpszA : "" );
    return *out ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

static HRESULT string_prop( const SPropValue *prop, WCHAR **out )
{
    WCHAR *str;

    free( *out );
    *out = NULL;
    if (PROP_TYPE(prop->ulPropTag) == PT_UNICODE)
    {
        if (!prop->Value.lpszW) return MAPI_E_INVALID_PARAMETER;
        str = wcsdup( prop->Value.lpszW );
    }
    else
    {
        if (!prop->Value.lpszA) return MAPI_E_INVALID_PARAMETER;
        str = strdup_a_to_w( prop->Value.lpszA );
    }
    if (!str) return MAPI_E_NOT_ENOUGH_MEMORY;
    /* an empty string configures nothing */
    if (!str[0])
    {
        free( str );
        return S_OK;
    }
    *out = str;
    return S_OK;
}

static HRESULT parse_config( ULONG count, const SPropValue *props, struct service_config *config )
{
    HRESULT hr = S_OK;
    ULONG i;

    memset( config, 0, sizeof(*config) );
    for (i = 0; i < count && SUCCEEDED(hr); i++)
    {
        switch (props[i].ulPropTag)
        {
        case PR_PST_PATH:
        case PR_PST_PATH_W:
            hr = string_prop( &props[i], &config->path );
            break;
        case PR_DISPLAY_NAME_A:
        case PR_DISPLAY_NAME_W:
            hr = string_prop( &props[i], &config->display_name );
            break;
        case PR_PST_ENCRYPTION:
            if (props[i].Value.l != (LONG)PSTF_NO_ENCRYPTION && props[i].Value.l != PSTF_COMPRESSABLE_ENCRYPTION
                    && props[i].Value.l != PSTF_BEST_ENCRYPTION)
            {
                WARN( "invalid encryption %#lx.\n", props[i].Value.l );
                hr = MAPI_E_INVALID_PARAMETER;
                break;
            }
            config->set_encryption = TRUE;
            config->encryption = props[i].Value.l;
            break;
        case PR_PST_REMEMBER_PW:
            config->set_remember_password = TRUE;
            config->remember_password = props[i].Value.b;
            break;
        case PR_PST_PW_SZ_OLD:
        case PR_PST_PW_SZ_OLD_W:
            hr = password_prop( &props[i], &config->old_password );
            break;
        case PR_PST_PW_SZ_NEW:
        case PR_PST_PW_SZ_NEW_W:
            hr = password_prop( &props[i], &config->new_password );
            break;
        default:
            TRACE( "ignoring property %#lx.\n", props[i].ulPropTag );
            break;
        }
    }
    if (FAILED(hr)) service_config_free( config );
    return hr;
}

/* One write transaction setting the file's password ("" removes it). */
static int set_password( struct pst_file *file, const WCHAR *password )
{
    char *text;
    int err;

    if (!(text = password_to_ansi( password, TRUE ))) return PST_E_NOMEM;
    if (!(err = pst_begin( file )))
    {
        if ((err = password_write( file, text )) || (err = pst_commit( file ))) pst_abort( file );
    }
    free( text );
    return err;
}

/* Creates a new, empty store at PATH (Unicode format: the engine writes
 * nothing else) and returns its record key.  PR_PST_ENCRYPTION chooses the
 * block encoding: none, or the permutation Outlook calls compressible
 * encryption, which is also its default.  The engine cannot create
 * cyclically encoded ("high encryption") files, so PSTF_BEST_ENCRYPTION is
 * refused with MAPI_E_NO_SUPPORT rather than silently weakened. */
static HRESULT create_file( const WCHAR *path, const struct service_config *config, BYTE uid[16] )
{
    static const WCHAR default_name[] = L"Personal Folders";
    struct pst_create_params params;
    struct pst_file *file;
    struct pst_io *io;
    char message[256];
    const WCHAR *name = config->display_name ? config->display_name : default_name;
    int err;

    memset( &params, 0, sizeof(params) );
    params.display_name = (const uint16_t *)name;
    params.display_name_len = wcslen( name );
    if (!config->set_encryption || config->encryption == PSTF_COMPRESSABLE_ENCRYPTION) params.crypt_method = 1;
    else if (config->encryption == (LONG)PSTF_NO_ENCRYPTION) params.crypt_method = 0;
    else
    {
        FIXME( "creating files with high encryption is not supported.\n" );
        return MAPI_E_NO_SUPPORT;
    }
    TRACE( "creating %s, crypt method %u.\n", debugstr_w(path), params.crypt_method );
    if ((err = pst_io_open_file_w( (const uint16_t *)path, PST_IO_WRITE | PST_IO_CREATE, &io )))
        return hresult_from_pst( err );
    if ((err = pst_create( io, NULL, &params, &file, message, sizeof(message) )))
    {
        WARN( "cannot create %s: %s\n", debugstr_w(path), debugstr_a(message) );
        io->close( io );
        DeleteFileW( path );
        return hresult_from_pst( err );
    }
    err = pst_store_get_uid( file, uid );
    /* mspst.h: the creation routine takes PR_PST_PW_SZ_NEW as the new
     * file's password */
    if (!err && config->new_password && config->new_password[0]) err = set_password( file, config->new_password );
    pst_close( file );
    io->close( io );
    if (err) DeleteFileW( path );
    return hresult_from_pst( err );
}

/* Changes the password of the existing file at PATH (the same check and
 * write as IMAPIStatus::ChangePassword, status.c).  mspst.h: configuring
 * opens the file "using the password given in PR_PST_PW_SZ_OLD", which
 * is taken from the property array only, never from the profile.  A
 * wrong (or missing) old password fails the configuration with
 * MAPI_E_LOGON_FAILED, the code of a refused password at logon time; the
 * documentation names none. */
static HRESULT change_password( const WCHAR *path, const struct service_config *config )
{
    struct pst_file *file;
    struct pst_io *io;
    char message[256], *old_a;
    HRESULT hr;
    int err;

    if (!(old_a = password_to_ansi( config->old_password, TRUE ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if ((err = pst_io_open_file_w( (const uint16_t *)path, config->new_password ? PST_IO_WRITE : 0, &io )))
    {
        free( old_a );
        return hresult_from_pst( err );
    }
    if (config->new_password) err = pst_open_write( io, NULL, &file, message, sizeof(message) );
    else err = pst_open( io, NULL, &file, message, sizeof(message) );
    if (err)
    {
        WARN( "cannot open %s: %s\n", debugstr_w(path), debugstr_a(message) );
        io->close( io );
        free( old_a );
        return hresult_from_pst( err );
    }
    if (FAILED(hr = password_verify( file, old_a )))
    {
        WARN( "%s: wrong password.\n", debugstr_w(path) );
        if (hr == MAPI_E_NO_ACCESS) hr = MAPI_E_LOGON_FAILED;
    }
    else if (config->new_password) hr = hresult_from_pst( set_password( file, config->new_password ) );
    pst_close( file );
    io->close( io );
    free( old_a );
    return hr;
}

/* Checks that PATH holds a PST the engine opens, and returns its record
 * key; a file that does not exist yet is created. */
static HRESULT validate_file( const WCHAR *path, const struct service_config *config, BYTE uid[16] )
{
    struct pst_file *file;
    struct pst_io *io;
    char message[256];
    HRESULT hr;
    int err;

    if (GetFileAttributesW( path ) == INVALID_FILE_ATTRIBUTES) return create_file( path, config, uid );
    if ((config->old_password || config->new_password) && FAILED(hr = change_password( path, config ))) return hr;
    if ((err = pst_io_open_file_w( (const uint16_t *)path, 0, &io ))) return hresult_from_pst( err );
    if ((err = pst_open( io, NULL, &file, message, sizeof(message) )))
    {
        WARN( "cannot open %s: %s\n", debugstr_w(path), debugstr_a(message) );
        io->close( io );
        /* a damaged or foreign file is a damaged store, as at logon */
        return err == PST_E_CORRUPT ? MAPI_E_CORRUPT_STORE : hresult_from_pst( err );
    }
    err = pst_store_get_uid( file, uid );
    pst_close( file );
    io->close( io );
    if (err == PST_E_NOT_FOUND || err == PST_E_CORRUPT) return MAPI_E_CORRUPT_STORE;
    return hresult_from_pst( err );
}

/* The store providers of the service, from MAPI's provider table. */
static HRESULT list_store_providers( const struct mapi_allocators *alloc, IProviderAdmin *admin,
                                     MAPIUID **out, ULONG *out_count )
{
    MAPIUID *uids = NULL, *tmp;
    IMAPITable *table;
    SRowSet *rows;
    ULONG count = 0, i, j;
    const SPropValue *uid, *type;
    HRESULT hr;

    *out = NULL;
    *out_count = 0;
    if (FAILED(hr = IProviderAdmin_GetProviderTable( admin, 0, &table ))) return hr;
    for (;;)
    {
        if (FAILED(hr = IMAPITable_QueryRows( table, 16, 0, &rows ))) break;
        if (!rows->cRows)
        {
            alloc->free_buffer( rows );
            break;
        }
        for (i = 0; i < rows->cRows; i++)
        {
            uid = type = NULL;
            for (j = 0; j < rows->aRow[i].cValues; j++)
            {
                const SPropValue *prop = &rows->aRow[i].lpProps[j];
                if (prop->ulPropTag == PR_PROVIDER_UID && prop->Value.bin.cb == sizeof(MAPIUID)) uid = prop;
                else if (prop->ulPropTag == PR_RESOURCE_TYPE) type = prop;
            }
            /* transports or address books of the same service are not ours to configure */
            if (SUCCEEDED(hr) && uid && (!type || type->Value.l == MAPI_STORE_PROVIDER))
            {
                if (!(tmp = realloc( uids, (count + 1) * sizeof(*uids) ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
                else
                {
                    uids = tmp;
                    memcpy( &uids[count++], uid->Value.bin.lpb, sizeof(MAPIUID) );
                }
            }
            alloc->free_buffer( rows->aRow[i].lpProps );
        }
        alloc->free_buffer( rows );
        if (FAILED(hr)) break;
    }
    IMAPITable_Release( table );
    if (FAILED(hr))
    {
        free( uids );
        return hr;
    }
    if (!count)
    {
        WARN( "the service has no store provider.\n" );
        return MAPI_E_NOT_FOUND;
    }
    *out = uids;
    *out_count = count;
    return S_OK;
}

/* The configured path of a provider section, or NULL. */
static WCHAR *section_path( const struct mapi_allocators *alloc, IProfSect *section )
{
    static const SizedSPropTagArray(2, tags) = { 2, { PR_PST_PATH_W, PR_PST_PATH } };
    SPropValue *props;
    WCHAR *path = NULL;
    ULONG count;

    if (FAILED(IProfSect_GetProps( section, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props ))) return NULL;
    if (count == 2)
    {
        if (props[0].ulPropTag == PR_PST_PATH_W && props[0].Value.lpszW[0]) path = wcsdup( props[0].Value.lpszW );
        else if (props[1].ulPropTag == PR_PST_PATH && props[1].Value.lpszA[0])
            path = strdup_a_to_w( props[1].Value.lpszA );
    }
    alloc->free_buffer( props );
    return path;
}

/* The wrapped store entry ID MAPI hands to clients for this store (R2.7). */
static HRESULT build_wrapped_entryid( const struct mapi_allocators *alloc, IProfSect *section, const WCHAR *path,
                                      const BYTE uid[16], void *parent, SBinary *out )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_PROVIDER_DLL_NAME_A } };
    struct store_logon template;
    ULONG count, inner_size, name_size, offset;
    SPropValue *props;
    ENTRYID *inner;
    BYTE *data;
    HRESULT hr;

    if (FAILED(hr = IProfSect_GetProps( section, (SPropTagArray *)&tags, 0, &count, &props ))) return hr;
    if (count != 1 || props[0].ulPropTag != PR_PROVIDER_DLL_NAME_A)
    {
        WARN( "the provider section has no PR_PROVIDER_DLL_NAME.\n" );
        alloc->free_buffer( props );
        return MAPI_E_NOT_FOUND;
    }

    /* the entry ID of a logon to this file; only path and uid are read */
    memset( &template, 0, sizeof(template) );
    template.path = (WCHAR *)path;
    memcpy( template.uid, uid, sizeof(template.uid) );
    if (SUCCEEDED(hr = store_entryid_build( &template, alloc, NULL, &inner_size, &inner )))
    {
        name_size = strlen( props[0].Value.lpszA ) + 1;
        offset = (WRAP_HEADER_SIZE + name_size + 3) & ~3;
        if (SUCCEEDED(hr = alloc->allocate_more( offset + inner_size, parent, (void **)&data )))
        {
            memset( data, 0, offset );
            memcpy( data + 4, &store_wrap_uid, sizeof(store_wrap_uid) );
            memcpy( data + WRAP_HEADER_SIZE, props[0].Value.lpszA, name_size );
            memcpy( data + offset, inner, inner_size );
            out->cb = offset + inner_size;
            out->lpb = data;
        }
        alloc->free_buffer( inner );
    }
    alloc->free_buffer( props );
    return hr;
}

static HRESULT write_section( const struct mapi_allocators *alloc, IProfSect *section,
                              const struct service_config *config, const WCHAR *path, const BYTE uid[16] )
{
    SPropValue *props;
    ULONG count = 0;
    HRESULT hr;

    if (FAILED(hr = alloc->allocate_buffer( 8 * sizeof(*props), (void **)&props ))) return hr;
    if (path)
    {
        props[count].ulPropTag = PR_PST_PATH_W;
        props[count++].Value.lpszW = (WCHAR *)path;
        props[count].ulPropTag = PR_ENTRYID;
        if (FAILED(hr = build_wrapped_entryid( alloc, section, path, uid, props, &props[count++].Value.bin )))
            goto done;
        props[count].ulPropTag = PR_RECORD_KEY;
        props[count].Value.bin.cb = 16;
        props[count++].Value.bin.lpb = (BYTE *)uid;
        props[count].ulPropTag = PR_MDB_PROVIDER;
        props[count].Value.bin.cb = sizeof(winepst_provider_uid);
        props[count++].Value.bin.lpb = (BYTE *)&winepst_provider_uid;
    }
    if (config->display_name)
    {
        props[count].ulPropTag = PR_DISPLAY_NAME_W;
        props[count++].Value.lpszW = config->display_name;
    }
    if (config->set_encryption)
    {
        props[count].ulPropTag = PR_PST_ENCRYPTION;
        props[count++].Value.l = config->encryption;
    }
    if (config->set_remember_password)
    {
        props[count].ulPropTag = PR_PST_REMEMBER_PW;
        props[count++].Value.b = config->remember_password;
    }
    if (config->profile_password)
    {
        /* where logon looks for the password (store.c) */
        props[count].ulPropTag = PR_PST_PW_SZ_OLD_W;
        props[count++].Value.lpszW = (WCHAR *)config->profile_password;
    }
    if (count && SUCCEEDED(hr = IProfSect_SetProps( section, count, props, NULL )))
        hr = IProfSect_SaveChanges( section, KEEP_OPEN_READWRITE );

done:
    alloc->free_buffer( props );
    return hr;
}

/* mspst.h: PR_PST_REMEMBER_PW decides whether the profile remembers the
 * password; without it the profile keeps doing what it did (remembering if
 * it holds one).  The password to remember is the new one, if any.  Not
 * remembering any more stores "", which logon takes as no password. */
static const WCHAR *profile_password( const struct mapi_allocators *alloc, IProviderAdmin *admin,
                                      MAPIUID *provider, const struct service_config *config )
{
    static const SizedSPropTagArray(2, tags) = { 2, { PR_PST_PW_SZ_OLD_W, PR_PST_PW_SZ_OLD } };
    const WCHAR *password = config->new_password ? config->new_password : config->old_password;
    IProfSect *section;
    SPropValue *props;
    BOOL remember = FALSE;
    ULONG count;

    if (config->set_remember_password) return config->remember_password ? password : L"";
    if (FAILED(IProviderAdmin_OpenProfileSection( admin, provider, NULL, 0, &section ))) return NULL;
    if (SUCCEEDED(IProfSect_GetProps( section, (SPropTagArray *)&tags, 0, &count, &props )))
    {
        remember = count == 2 && (props[0].ulPropTag == PR_PST_PW_SZ_OLD_W || props[1].ulPropTag == PR_PST_PW_SZ_OLD);
        alloc->free_buffer( props );
    }
    IProfSect_Release( section );
    return remember ? password : NULL;
}

static HRESULT service_configure( const struct mapi_allocators *alloc, IProviderAdmin *admin, ULONG flags,
                                  ULONG context, ULONG count, SPropValue *props, WCHAR **error_path )
{
    struct service_config config;
    IProfSect *section;
    MAPIUID *providers;
    ULONG provider_count, i;
    WCHAR *path = NULL, full[MAX_PATH];
    BYTE uid[16];
    DWORD len;
    HRESULT hr;

    memset( uid, 0, sizeof(uid) );
    if (FAILED(hr = parse_config( count, props, &config ))) return hr;
    if (FAILED(hr = list_store_providers( alloc, admin, &providers, &provider_count )))
    {
        service_config_free( &config );
        return hr;
    }

    if (config.path)
    {
        /* the profile outlives the current directory */
        len = GetFullPathNameW( config.path, ARRAY_SIZE(full), full, NULL );
        if (!len || len >= ARRAY_SIZE(full)) hr = MAPI_E_INVALID_PARAMETER;
        else if (!(path = wcsdup( full ))) hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else if (FAILED(hr = validate_file( path, &config, uid ))) *error_path = wcsdup( path );
    }
    else if (SUCCEEDED(hr = IProviderAdmin_OpenProfileSection( admin, &providers[0], NULL, 0, &section )))
    {
        /* a configuration that names no file keeps the one configured before */
        path = section_path( alloc, section );
        IProfSect_Release( section );
        if (!path)
        {
            if (context == MSG_SERVICE_CREATE && !(flags & SERVICE_UI_ALLOWED))
            {
                /* created now, configured later: the usual way programs add a PST */
                TRACE( "no file configured yet.\n" );
            }
            else
            {
                /* the dialog that would ask for the file does not exist */
                hr = (flags & SERVICE_UI_ALLOWED) ? MAPI_E_USER_CANCEL : MAPI_E_UNCONFIGURED;
            }
        }
        else
        {
            /* the file, PR_ENTRYID and PR_RECORD_KEY stay as they are */
            if ((config.old_password || config.new_password) && FAILED(hr = change_password( path, &config )))
                *error_path = wcsdup( path );
            free( path );
            path = NULL;
        }
    }
    if (SUCCEEDED(hr) && (config.old_password || config.new_password))
        config.profile_password = profile_password( alloc, admin, &providers[0], &config );

    for (i = 0; i < provider_count && SUCCEEDED(hr); i++)
    {
        if (FAILED(hr = IProviderAdmin_OpenProfileSection( admin, &providers[i], NULL, MAPI_MODIFY, &section )))
            break;
        hr = write_section( alloc, section, &config, path, uid );
        IProfSect_Release( section );
    }

    free( path );
    free( providers );
    service_config_free( &config );
    return hr;
}

/***********************************************************************
 *              ServiceEntry (winepst.@)
 *
 * The MSGSERVICEENTRY of the Personal Folders services, named by
 * PR_SERVICE_ENTRY_NAME in mapisvc.inf.
 */
HRESULT WINAPI ServiceEntry( HINSTANCE instance, IMalloc *malloc, IMAPISupport *support, ULONG_PTR ui_param,
                             ULONG flags, ULONG context, ULONG count, SPropValue *props, IProviderAdmin *admin,
                             MAPIERROR **error )
{
    static const ULONG valid_flags = MAPI_UNICODE | SERVICE_UI_ALWAYS | SERVICE_UI_ALLOWED
                                     | MSG_SERVICE_UI_READ_ONLY | UI_CURRENT_PROVIDER_FIRST;
    struct mapi_allocators alloc;
    WCHAR *error_path = NULL;
    HRESULT hr;

    TRACE( "%p, %p, %p, %#Ix, %#lx, %lu, %lu, %p, %p, %p.\n", instance, malloc, support, ui_param, flags,
           context, count, props, admin, error );

    if (error) *error = NULL;
    if (!support || (count && !props)) return MAPI_E_INVALID_PARAMETER;
    if (flags & ~valid_flags) return MAPI_E_UNKNOWN_FLAGS;
    if (FAILED(hr = IMAPISupport_GetMemAllocRoutines( support, &alloc.allocate_buffer, &alloc.allocate_more,
                                                      &alloc.free_buffer )))
        return hr;
    if (!alloc.allocate_buffer || !alloc.allocate_more || !alloc.free_buffer) return MAPI_E_INVALID_PARAMETER;

    switch (context)
    {
    case MSG_SERVICE_INSTALL:
    case MSG_SERVICE_UNINSTALL:
        hr = S_OK;
        break;
    case MSG_SERVICE_DELETE:
        /* the PST file is the user's data: it stays where it is */
        hr = S_OK;
        break;
    case MSG_SERVICE_CREATE:
    case MSG_SERVICE_CONFIGURE:
        if (!admin) return MAPI_E_INVALID_PARAMETER;
        /* there is no dialog to show, so it is as if the user dismissed it */
        if (flags & SERVICE_UI_ALWAYS) hr = MAPI_E_USER_CANCEL;
        else hr = service_configure( &alloc, admin, flags, context, count, props, &error_path );
        break;
    case MSG_SERVICE_PROVIDER_CREATE:
    case MSG_SERVICE_PROVIDER_DELETE:
        /* one store per service, as Outlook's PST service has */
        hr = MAPI_E_NO_SUPPORT;
        break;
    default:
        WARN( "unknown context %lu.\n", context );
        hr = MAPI_E_NO_SUPPORT;
        break;
    }

    TRACE( "returning %#lx.\n", hr );
    if (FAILED(hr) && error) mapi_error_create( &alloc, hr, flags, error_path, error );
    free( error_path );
    return hr;
}
