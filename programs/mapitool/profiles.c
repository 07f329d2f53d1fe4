/*
 * mapitool: profiles, message services, sessions and stores
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

#include "mapitool.h"

static const WCHAR pst_service[] = L"MSUPST MS";

static HRESULT init_mapi( void )
{
    MAPIINIT_0 init = { MAPI_INIT_VERSION, 0 };
    HRESULT hr;

    if (FAILED(hr = MAPIInitialize( &init )))
        report_error( hr, NULL, "MAPIInitialize (is winemapix registered? run 'mapitool install')" );
    return hr;
}

static HRESULT open_admin( IProfAdmin **admin )
{
    HRESULT hr;

    if (FAILED(hr = init_mapi())) return hr;
    if (FAILED(hr = MAPIAdminProfiles( 0, admin )))
    {
        report_error( hr, NULL, "MAPIAdminProfiles" );
        MAPIUninitialize();
    }
    return hr;
}

static void close_admin( IProfAdmin *admin )
{
    IProfAdmin_Release( admin );
    MAPIUninitialize();
}

/* every row of a table, through QueryRows in chunks */
HRESULT query_all( IMAPITable *table, SRowSet **out )
{
    SRowSet *all = NULL, *rows;
    ULONG total = 0;
    HRESULT hr;

    *out = NULL;
    for (;;)
    {
        if (FAILED(hr = IMAPITable_QueryRows( table, 100, 0, &rows ))) break;
        if (!rows->cRows)
        {
            MAPIFreeBuffer( rows );
            break;
        }
        /* grow: rows own their props, so only the row arrays move */
        {
            SRowSet *grown;
            if (FAILED(hr = MAPIAllocateBuffer( CbNewSRowSet( total + rows->cRows ), (void **)&grown )))
            {
                free_rows( rows );
                break;
            }
            if (all) memcpy( grown->aRow, all->aRow, total * sizeof(SRow) );
            memcpy( grown->aRow + total, rows->aRow, rows->cRows * sizeof(SRow) );
            total += rows->cRows;
            grown->cRows = total;
            MAPIFreeBuffer( all );
            MAPIFreeBuffer( rows );
            all = grown;
        }
    }
    if (FAILED(hr))
    {
        free_rows( all );
        return hr;
    }
    if (!all)
    {
        if (FAILED(hr = MAPIAllocateBuffer( CbNewSRowSet( 0 ), (void **)&all ))) return hr;
        all->cRows = 0;
    }
    *out = all;
    return S_OK;
}

static int profiles_list( IProfAdmin *admin )
{
    SRowSet *rows;
    IMAPITable *table;
    WCHAR name[256];
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = IProfAdmin_GetProfileTable( admin, 0, &table )))
        return report_error( hr, (IUnknown *)admin, "GetProfileTable" );
    hr = query_all( table, &rows );
    if (FAILED(hr))
    {
        report_error( hr, (IUnknown *)table, "QueryRows on the profile table" );
        IMAPITable_Release( table );
        return EXIT_FAIL;
    }
    if (!rows->cRows) printf( "no profiles\n" );
    for (i = 0; i < rows->cRows; i++)
    {
        const SPropValue *props = rows->aRow[i].lpProps;
        ULONG count = rows->aRow[i].cValues;
        const SPropValue *def = find_prop( props, count, PR_DEFAULT_PROFILE );
        const WCHAR *str = prop_string( find_prop( props, count, PR_DISPLAY_NAME_W ), name, ARRAY_SIZE(name) );

        printf( "%c %s\n", def && def->Value.b ? '*' : ' ', str ? u8( str ) : "(no name)" );
    }
    free_rows( rows );
    IMAPITable_Release( table );
    return EXIT_OK;
}

static HRESULT service_uids( IMsgServiceAdmin *services, MAPIUID **uids, ULONG *count )
{
    static const SizedSPropTagArray(1, columns) = { 1, { PR_SERVICE_UID } };
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    *uids = NULL;
    *count = 0;
    if (FAILED(hr = IMsgServiceAdmin_GetMsgServiceTable( services, 0, &table ))) return hr;
    if (SUCCEEDED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 )) &&
        SUCCEEDED(hr = query_all( table, &rows )))
    {
        *uids = calloc( rows->cRows + 1, sizeof(MAPIUID) );
        for (i = 0; i < rows->cRows; i++)
        {
            const SPropValue *uid = find_prop( rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_SERVICE_UID );
            if (uid && uid->Value.bin.cb == sizeof(MAPIUID)) memcpy( &(*uids)[(*count)++], uid->Value.bin.lpb,
                                                                    sizeof(MAPIUID) );
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
    return hr;
}

static int profiles_create( IProfAdmin *admin, WCHAR *name )
{
    IMsgServiceAdmin *services = NULL;
    MAPIUID *before = NULL, *after = NULL, *uid = NULL;
    ULONG before_count = 0, after_count = 0, i, j;
    WCHAR *path = NULL, display[256];
    SPropValue props[2];
    HRESULT hr;

    if (FAILED(hr = IProfAdmin_CreateProfile( admin, name, NULL, 0, MAPI_UNICODE )))
        return report_error( hr, (IUnknown *)admin, "CreateProfile \"%s\"", u8( name ) );
    printf( "created profile \"%s\"\n", u8( name ) );
    if (!opts.pst) return EXIT_OK;

    path = dos_path( opts.pst );
    if (opts.display) lstrcpynW( display, opts.display, ARRAY_SIZE(display) );
    else lstrcpynW( display, L"Personal Folders", ARRAY_SIZE(display) );

    if (FAILED(hr = IProfAdmin_AdminServices( admin, name, NULL, 0, MAPI_UNICODE, &services )))
    {
        report_error( hr, (IUnknown *)admin, "AdminServices \"%s\"", u8( name ) );
        goto failed;
    }
    /* CreateMsgService does not say which service it made: compare the
     * service table before and after */
    if (FAILED(hr = service_uids( services, &before, &before_count )))
    {
        report_error( hr, (IUnknown *)services, "GetMsgServiceTable" );
        goto failed;
    }
    if (FAILED(hr = IMsgServiceAdmin_CreateMsgService( services, (WCHAR *)pst_service, display, 0, MAPI_UNICODE )))
    {
        report_error( hr, (IUnknown *)services, "CreateMsgService \"%s\" (is winepst registered? run "
                      "'mapitool install')", u8( pst_service ) );
        goto failed;
    }
    if (FAILED(hr = service_uids( services, &after, &after_count )))
    {
        report_error( hr, (IUnknown *)services, "GetMsgServiceTable" );
        goto failed;
    }
    for (i = 0; i < after_count && !uid; i++)
    {
        for (j = 0; j < before_count; j++) if (!memcmp( &after[i], &before[j], sizeof(MAPIUID) )) break;
        if (j == before_count) uid = &after[i];
    }
    if (!uid)
    {
        hr = MAPI_E_NOT_FOUND;
        report_error( hr, NULL, "the new %s service is not in the service table", u8( pst_service ) );
        goto failed;
    }
    printf( "added service %s \"%s\"\n", u8( pst_service ), u8( display ) );

    props[0].ulPropTag = PR_PST_PATH_W;
    props[0].Value.lpszW = path;
    props[1].ulPropTag = PR_DISPLAY_NAME_W;
    props[1].Value.lpszW = display;
    if (FAILED(hr = IMsgServiceAdmin_ConfigureMsgService( services, uid, 0, MAPI_UNICODE, 2, props )))
    {
        report_error( hr, (IUnknown *)services, "ConfigureMsgService with PR_PST_PATH_W \"%s\"", u8( path ) );
        goto failed;
    }
    printf( "configured PR_PST_PATH_W = %s\n", u8( path ) );

    free( before );
    free( after );
    free( path );
    IMsgServiceAdmin_Release( services );
    return EXIT_OK;

failed:
    /* no half-made profile is left behind */
    free( before );
    free( after );
    free( path );
    if (services) IMsgServiceAdmin_Release( services );
    IProfAdmin_DeleteProfile( admin, name, MAPI_UNICODE );
    printf( "removed profile \"%s\" again\n", u8( name ) );
    return EXIT_FAIL;
}

/* prints PR_PST_PATH_W of a profile section and releases it */
static BOOL print_pst_path( IProfSect *section, SPropTagArray *tags, const char *where )
{
    SPropValue *values;
    WCHAR buffer[MAX_PATH];
    const WCHAR *path = NULL;
    ULONG n;

    if (SUCCEEDED(IProfSect_GetProps( section, tags, MAPI_UNICODE, &n, &values )))
    {
        path = prop_string( find_prop( values, n, PR_PST_PATH_W ), buffer, ARRAY_SIZE(buffer) );
        if (path) printf( "    PR_PST_PATH_W = %s (%s section)\n", u8( path ), where );
        MAPIFreeBuffer( values );
    }
    IProfSect_Release( section );
    return path != NULL;
}

static void show_provider_paths( IMsgServiceAdmin *services, MAPIUID *service, SPropTagArray *tags )
{
    static const SizedSPropTagArray(1, columns) = { 1, { PR_PROVIDER_UID } };
    IProviderAdmin *providers;
    IMAPITable *table;
    IProfSect *section;
    SRowSet *rows;
    ULONG i;

    if (FAILED(IMsgServiceAdmin_AdminProviders( services, service, 0, &providers ))) return;
    if (SUCCEEDED(IProviderAdmin_GetProviderTable( providers, 0, &table )))
    {
        if (SUCCEEDED(IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 )) &&
            SUCCEEDED(query_all( table, &rows )))
        {
            for (i = 0; i < rows->cRows; i++)
            {
                const SPropValue *uid = find_prop( rows->aRow[i].lpProps, rows->aRow[i].cValues, PR_PROVIDER_UID );

                if (uid && uid->Value.bin.cb == sizeof(MAPIUID) &&
                    SUCCEEDED(IProviderAdmin_OpenProfileSection( providers, (MAPIUID *)uid->Value.bin.lpb, NULL,
                                                                 0, &section )))
                    print_pst_path( section, tags, "provider" );
            }
            free_rows( rows );
        }
        IMAPITable_Release( table );
    }
    IProviderAdmin_Release( providers );
}

static int profiles_show( IProfAdmin *admin, WCHAR *name )
{
    static const SizedSPropTagArray(3, columns) = { 3, { PR_SERVICE_UID, PR_SERVICE_NAME_W, PR_DISPLAY_NAME_W } };
    static const SizedSPropTagArray(1, path_tag) = { 1, { PR_PST_PATH_W } };
    IMsgServiceAdmin *services;
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    if (FAILED(hr = IProfAdmin_AdminServices( admin, name, NULL, 0, MAPI_UNICODE, &services )))
        return report_error( hr, (IUnknown *)admin, "AdminServices \"%s\"", u8( name ) );
    if (FAILED(hr = IMsgServiceAdmin_GetMsgServiceTable( services, MAPI_UNICODE, &table )))
    {
        report_error( hr, (IUnknown *)services, "GetMsgServiceTable" );
        IMsgServiceAdmin_Release( services );
        return EXIT_FAIL;
    }
    if (FAILED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 )) ||
        FAILED(hr = query_all( table, &rows )))
    {
        report_error( hr, (IUnknown *)table, "reading the service table" );
        IMAPITable_Release( table );
        IMsgServiceAdmin_Release( services );
        return EXIT_FAIL;
    }
    printf( "profile \"%s\": %lu service%s\n", u8( name ), rows->cRows, rows->cRows == 1 ? "" : "s" );
    for (i = 0; i < rows->cRows; i++)
    {
        const SPropValue *props = rows->aRow[i].lpProps;
        ULONG count = rows->aRow[i].cValues;
        const SPropValue *uid = find_prop( props, count, PR_SERVICE_UID );
        WCHAR b1[256], b2[256];
        const WCHAR *service = prop_string( find_prop( props, count, PR_SERVICE_NAME_W ), b1, ARRAY_SIZE(b1) );
        const WCHAR *display = prop_string( find_prop( props, count, PR_DISPLAY_NAME_W ), b2, ARRAY_SIZE(b2) );
        IProfSect *section;

        printf( "  %s \"%s\"\n", service ? u8( service ) : "?", display ? u8( display ) : "" );
        if (!uid || uid->Value.bin.cb != sizeof(MAPIUID)) continue;
        /* the path may be kept in the service's section or its providers' */
        if (SUCCEEDED(IMsgServiceAdmin_OpenProfileSection( services, (MAPIUID *)uid->Value.bin.lpb, NULL, 0,
                                                           &section )))
        {
            if (print_pst_path( section, (SPropTagArray *)&path_tag, "service" )) continue;
        }
        show_provider_paths( services, (MAPIUID *)uid->Value.bin.lpb, (SPropTagArray *)&path_tag );
    }
    free_rows( rows );
    IMAPITable_Release( table );
    IMsgServiceAdmin_Release( services );
    return EXIT_OK;
}

int cmd_profiles( int argc, WCHAR **argv )
{
    const WCHAR *sub = argc > 1 ? argv[1] : L"list";
    IProfAdmin *admin;
    HRESULT hr;
    int ret;

    if (wcscmp( sub, L"list" ) && argc != 3)
    {
        fprintf( stderr, "usage: mapitool profiles list|show NAME|create NAME [--pst PATH]|delete NAME|"
                 "default NAME\n" );
        return EXIT_USAGE;
    }
    if (wcscmp( sub, L"list" ) && wcscmp( sub, L"show" ) && wcscmp( sub, L"create" ) &&
        wcscmp( sub, L"delete" ) && wcscmp( sub, L"default" ))
    {
        fprintf( stderr, "mapitool: unknown profiles command %s\n", u8( sub ) );
        return EXIT_USAGE;
    }
    if (FAILED(open_admin( &admin ))) return EXIT_FAIL;

    if (!wcscmp( sub, L"list" )) ret = profiles_list( admin );
    else if (!wcscmp( sub, L"show" )) ret = profiles_show( admin, argv[2] );
    else if (!wcscmp( sub, L"create" )) ret = profiles_create( admin, argv[2] );
    else if (!wcscmp( sub, L"delete" ))
    {
        if (FAILED(hr = IProfAdmin_DeleteProfile( admin, argv[2], MAPI_UNICODE )))
            ret = report_error( hr, (IUnknown *)admin, "DeleteProfile \"%s\"", u8( argv[2] ) );
        else
        {
            printf( "deleted profile \"%s\"\n", u8( argv[2] ) );
            ret = EXIT_OK;
        }
    }
    else
    {
        if (FAILED(hr = IProfAdmin_SetDefaultProfile( admin, argv[2], MAPI_UNICODE )))
            ret = report_error( hr, (IUnknown *)admin, "SetDefaultProfile \"%s\"", u8( argv[2] ) );
        else
        {
            printf( "default profile is now \"%s\"\n", u8( argv[2] ) );
            ret = EXIT_OK;
        }
    }
    close_admin( admin );
    return ret;
}

/* ------------------------------------------------------------ sessions -- */

/* MAPIInitialize, then a new session on --profile or the default profile.
 * The caller logs off, releases and calls MAPIUninitialize. */
HRESULT open_session( IMAPISession **session )
{
    ULONG flags = MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_NO_MAIL | MAPI_UNICODE;
    HRESULT hr;

    if (FAILED(hr = init_mapi())) return hr;
    flags |= opts.profile ? MAPI_EXPLICIT_PROFILE : MAPI_USE_DEFAULT;
    if (FAILED(hr = MAPILogonEx( 0, (WCHAR *)opts.profile, NULL, flags, session )))
    {
        report_error( hr, NULL, "MAPILogonEx on %s%s%s", opts.profile ? "profile \"" : "the default profile",
                      opts.profile ? u8( opts.profile ) : "", opts.profile ? "\"" : "" );
        MAPIUninitialize();
    }
    return hr;
}

static const SizedSPropTagArray(4, store_columns) =
    { 4, { PR_ENTRYID, PR_DISPLAY_NAME_W, PR_DEFAULT_STORE, PR_RESOURCE_FLAGS } };

static HRESULT store_rows( IMAPISession *session, SRowSet **rows )
{
    IMAPITable *table;
    HRESULT hr;

    if (FAILED(hr = IMAPISession_GetMsgStoresTable( session, MAPI_UNICODE, &table )))
        return report_error( hr, (IUnknown *)session, "GetMsgStoresTable" ), hr;
    if (FAILED(hr = IMAPITable_SetColumns( table, (SPropTagArray *)&store_columns, 0 )) ||
        FAILED(hr = query_all( table, rows )))
        report_error( hr, (IUnknown *)table, "reading the message store table" );
    IMAPITable_Release( table );
    return hr;
}

HRESULT open_store( IMAPISession *session, ULONG flags, IMsgStore **store )
{
    const SPropValue *eid = NULL, *name = NULL;
    SRowSet *rows;
    WCHAR buffer[256];
    HRESULT hr;
    ULONG i;

    *store = NULL;
    if (FAILED(hr = store_rows( session, &rows ))) return hr;
    for (i = 0; i < rows->cRows; i++)
    {
        const SPropValue *props = rows->aRow[i].lpProps;
        ULONG count = rows->aRow[i].cValues;
        const SPropValue *def = find_prop( props, count, PR_DEFAULT_STORE );

        if (opts.store ? (int)i + 1 == opts.store : (!eid || (def && def->Value.b)))
        {
            eid = find_prop( props, count, PR_ENTRYID );
            name = find_prop( props, count, PR_DISPLAY_NAME_W );
        }
    }
    if (!eid)
    {
        hr = MAPI_E_NOT_FOUND;
        if (opts.store) report_error( hr, NULL, "no store number %d in this profile", opts.store );
        else report_error( hr, NULL, "this profile has no message store" );
        free_rows( rows );
        return hr;
    }
    hr = IMAPISession_OpenMsgStore( session, 0, eid->Value.bin.cb, (ENTRYID *)eid->Value.bin.lpb, NULL,
                                    flags | MDB_NO_DIALOG, store );
    if (FAILED(hr))
    {
        const WCHAR *str = prop_string( name, buffer, ARRAY_SIZE(buffer) );
        report_error( hr, (IUnknown *)session, "OpenMsgStore \"%s\"", str ? u8( str ) : "" );
    }
    free_rows( rows );
    return hr;
}

int cmd_stores( int argc, WCHAR **argv )
{
    IMAPISession *session;
    SRowSet *rows;
    WCHAR buffer[256];
    HRESULT hr;
    ULONG i;

    if (FAILED(open_session( &session ))) return EXIT_FAIL;
    if (SUCCEEDED(hr = store_rows( session, &rows )))
    {
        if (!rows->cRows) printf( "no message stores\n" );
        for (i = 0; i < rows->cRows; i++)
        {
            const SPropValue *props = rows->aRow[i].lpProps;
            ULONG count = rows->aRow[i].cValues;
            const SPropValue *def = find_prop( props, count, PR_DEFAULT_STORE );
            const SPropValue *flags = find_prop( props, count, PR_RESOURCE_FLAGS );
            const WCHAR *name = prop_string( find_prop( props, count, PR_DISPLAY_NAME_W ), buffer,
                                             ARRAY_SIZE(buffer) );

            printf( "%lu%c %s", i + 1, def && def->Value.b ? '*' : ' ', name ? u8( name ) : "(no name)" );
            if (flags) printf( " (resource flags %#lx)", flags->Value.l );
            printf( "\n" );
        }
        free_rows( rows );
    }
    IMAPISession_Logoff( session, 0, 0, 0 );
    IMAPISession_Release( session );
    MAPIUninitialize();
    return FAILED(hr) ? EXIT_FAIL : EXIT_OK;
}
