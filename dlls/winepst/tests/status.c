/*
 * Conformance tests of winepst's status object and status table row
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
 * Expected values: the status object's methods and properties from
 * imslogon-openstatusentry.md, imapistatus-*.md, status-tables.md and
 * status-object-implementation.md; PR_PST_PASSWORD of a password "test"
 * is 0xf93ba110, the "Password checksum" pffinfo shows for pstsdk's
 * test_unicode.pst, whose password is "test" (SOURCES.md, pstsdk's tests).
 */

#include "winepst_test.h"
#include "mapiext.h"

#define PR_PST_PASSWORD PROP_TAG(PT_LONG, 0x67ff)
#define TEST_PASSWORD_CRC       0xf93ba110

static HRESULT wlogon( const WCHAR *path, ULONG flags, const WCHAR *password, struct wstore *ws )
{
    wcscpy( profile.password, password ? password : L"" );
    status_row_calls = 0;
    return wstore_logon( path, flags, ws );
}

static const SPropValue *find_prop( const SPropValue *props, ULONG count, ULONG tag )
{
    ULONG i;

    for (i = 0; i < count; i++) if (props[i].ulPropTag == tag) return &props[i];
    return NULL;
}

/* PR_PST_PASSWORD of the store, 0 when absent */
static ULONG store_password_crc( IMsgStore *store )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_PST_PASSWORD } };
    SPropValue *props = NULL;
    ULONG count, crc = 0;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, (SPropTagArray *)&tags, 0, &count, &props );
    ok( SUCCEEDED(hr), "GetProps returned %#lx.\n", hr );
    if (props && props[0].ulPropTag == PR_PST_PASSWORD) crc = props[0].Value.l;
    test_free_buffer( props );
    return crc;
}

static IMAPIStatus *open_status( IMSLogon *ms_logon, ULONG flags )
{
    IMAPIStatus *status = NULL;
    ULONG type = 0xdead;
    HRESULT hr;

    hr = IMSLogon_OpenStatusEntry( ms_logon, NULL, flags, &type, (void **)&status );
    ok( hr == S_OK, "OpenStatusEntry returned %#lx.\n", hr );
    ok( type == MAPI_STATUS, "object type %lu.\n", type );
    return status;
}

/* Every method but AddRef and Release of an object whose logon died */
static void check_dead( IMAPIStatus *status )
{
    static const SizedSPropTagArray(1, tags) = { 1, { PR_DISPLAY_NAME_W } };
    SPropValue prop, *props = NULL;
    SPropTagArray *list = NULL;
    SPropProblemArray *problems = NULL;
    MAPIERROR *error = NULL;
    MAPINAMEID name, *names = &name, **out_names = NULL;
    IUnknown *unk = NULL;
    ULONG count;
    HRESULT results[16];
    unsigned int i = 0;
    void *out;

    prop.ulPropTag = PR_DISPLAY_NAME_W;
    prop.Value.lpszW = (WCHAR *)L"x";
    memset( &name, 0, sizeof(name) );
    results[i++] = IMAPIStatus_QueryInterface( status, &IID_IMessage, &out ) == E_NOINTERFACE
                   ? MAPI_E_INVALID_OBJECT : E_FAIL;
    results[i++] = IMAPIStatus_GetLastError( status, MAPI_E_CALL_FAILED, 0, &error );
    results[i++] = IMAPIStatus_SaveChanges( status, 0 );
    results[i++] = IMAPIStatus_GetProps( status, (SPropTagArray *)&tags, 0, &count, &props );
    results[i++] = IMAPIStatus_GetPropList( status, 0, &list );
    results[i++] = IMAPIStatus_OpenProperty( status, PR_DISPLAY_NAME_W, &IID_IStream, 0, 0, &unk );
    results[i++] = IMAPIStatus_SetProps( status, 1, &prop, &problems );
    results[i++] = IMAPIStatus_DeleteProps( status, (SPropTagArray *)&tags, &problems );
    results[i++] = IMAPIStatus_CopyTo( status, 0, NULL, NULL, 0, NULL, &IID_IMessage, NULL, 0, &problems );
    results[i++] = IMAPIStatus_CopyProps( status, (SPropTagArray *)&tags, 0, NULL, &IID_IMessage, NULL, 0, &problems );
    results[i++] = IMAPIStatus_GetNamesFromIDs( status, &list, NULL, 0, &count, &out_names );
    results[i++] = IMAPIStatus_GetIDsFromNames( status, 1, &names, 0, &list );
    results[i++] = IMAPIStatus_ValidateState( status, 0, 0 );
    results[i++] = IMAPIStatus_SettingsDialog( status, 0, 0 );
    results[i++] = IMAPIStatus_ChangePassword( status, (WCHAR *)L"a", (WCHAR *)L"b", MAPI_UNICODE );
    results[i++] = IMAPIStatus_FlushQueues( status, 0, 0, NULL, 0 );
    for (i = 0; i < ARRAY_SIZE(results); i++)
        ok( results[i] == MAPI_E_INVALID_OBJECT, "method %u returned %#lx.\n", i, results[i] );
}

static void test_status_object(void)
{
    static const SizedSPropTagArray(5, tags) =
        { 5, { PR_DISPLAY_NAME_A, PR_DISPLAY_NAME_W, PR_ENTRYID, PR_RESOURCE_METHODS, PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_PROVIDER_DISPLAY_A)) } };
    static const SizedSPropTagArray(1, store_name) = { 1, { PR_DISPLAY_NAME_W } };
    SPropValue *props = NULL, *name = NULL, prop;
    const SPropValue *p;
    SPropTagArray *list = NULL;
    IMAPIStatus *status, *status2;
    IUnknown *unk;
    struct wstore ws;
    WCHAR path[MAX_PATH];
    ULONG count, type, i;
    HRESULT hr;

    if (!copy_sample( "pstsdk_test_unicode.pst", path ))
    {
        skip( "pstsdk_test_unicode.pst is not available.\n" );
        return;
    }
    hr = wlogon( path, MDB_WRITE, L"test", &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;

    /* status-object-implementation.md step 4: the row is added during logon */
    ok( status_row_calls == 1, "ModifyStatusRow was called %ld times.\n", status_row_calls );
    ok( !status_row_flags, "ModifyStatusRow flags %#lx.\n", status_row_flags );
    ok( status_row_methods == (STATUS_VALIDATE_STATE | STATUS_CHANGE_PASSWORD), "row methods %#lx.\n",
        status_row_methods );
    ok( status_row_code == STATUS_AVAILABLE, "row status code %#lx.\n", status_row_code );
    /* MAPI computes the resource type */
    ok( status_row_type == 0xdeadbeef, "the row has a resource type %#lx.\n", status_row_type );
    hr = IMsgStore_GetProps( ws.store, (SPropTagArray *)&store_name, 0, &count, &name );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (name) ok( !wcscmp( status_row_name, name[0].Value.lpszW ), "row name %s, store name %s.\n",
                  wine_dbgstr_w(status_row_name), wine_dbgstr_w(name[0].Value.lpszW) );

    /* argument checks */
    hr = IMSLogon_OpenStatusEntry( ws.ms_logon, NULL, 0, NULL, (void **)&unk );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no type pointer gave %#lx.\n", hr );
    hr = IMSLogon_OpenStatusEntry( ws.ms_logon, NULL, 0, &type, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no object pointer gave %#lx.\n", hr );
    hr = IMSLogon_OpenStatusEntry( ws.ms_logon, NULL, 0x100, &type, (void **)&unk );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "unknown flags gave %#lx.\n", hr );
    hr = IMSLogon_OpenStatusEntry( ws.ms_logon, &IID_IMessage, 0, &type, (void **)&unk );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "IID_IMessage gave %#lx.\n", hr );
    unk = NULL;
    hr = IMSLogon_OpenStatusEntry( ws.ms_logon, &IID_IMAPIStatus, 0, &type, (void **)&unk );
    ok( hr == S_OK && type == MAPI_STATUS, "IID_IMAPIStatus gave %#lx, type %lu.\n", hr, type );
    if (unk) IUnknown_Release( unk );

    /* MAPI_MODIFY is no failure: the object is read-only */
    status = open_status( ws.ms_logon, MAPI_MODIFY );
    if (!status) goto logoff;
    prop.ulPropTag = PR_DISPLAY_NAME_W;
    prop.Value.lpszW = (WCHAR *)L"renamed";
    hr = IMAPIStatus_SetProps( status, 1, &prop, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "SetProps returned %#lx.\n", hr );
    hr = IMAPIStatus_SaveChanges( status, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );

    /* every property, strings as MAPI_UNICODE asks */
    hr = IMAPIStatus_GetProps( status, NULL, MAPI_UNICODE, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    p = find_prop( props, count, PR_OBJECT_TYPE );
    ok( p && p->Value.l == MAPI_STATUS, "PR_OBJECT_TYPE %p %ld.\n", p, p ? p->Value.l : 0 );
    p = find_prop( props, count, PR_RESOURCE_TYPE );
    ok( p && p->Value.l == MAPI_STORE_PROVIDER, "PR_RESOURCE_TYPE %p %ld.\n", p, p ? p->Value.l : 0 );
    p = find_prop( props, count, PR_RESOURCE_METHODS );
    ok( p && p->Value.l == (STATUS_VALIDATE_STATE | STATUS_CHANGE_PASSWORD), "PR_RESOURCE_METHODS %p %#lx.\n",
        p, p ? p->Value.l : 0 );
    p = find_prop( props, count, PR_STATUS_CODE );
    ok( p && p->Value.l == STATUS_AVAILABLE, "PR_STATUS_CODE %p %#lx.\n", p, p ? p->Value.l : 0 );
    p = find_prop( props, count, PR_PROVIDER_DLL_NAME_W );
    ok( p && !wcsicmp( p->Value.lpszW, L"winepst.dll" ), "PR_PROVIDER_DLL_NAME %s.\n",
        p ? wine_dbgstr_w(p->Value.lpszW) : "missing" );
    p = find_prop( props, count, PR_DISPLAY_NAME_W );
    ok( p && name && !wcscmp( p->Value.lpszW, name[0].Value.lpszW ), "PR_DISPLAY_NAME %s.\n",
        p ? wine_dbgstr_w(p->Value.lpszW) : "missing" );
    ok( find_prop( props, count, PR_PROVIDER_DISPLAY_W ) != NULL, "no PR_PROVIDER_DISPLAY.\n" );
    ok( find_prop( props, count, PR_STATUS_STRING_W ) != NULL, "no PR_STATUS_STRING.\n" );
    ok( find_prop( props, count, PR_RESOURCE_FLAGS ) != NULL, "no PR_RESOURCE_FLAGS.\n" );
    ok( find_prop( props, count, PR_MDB_PROVIDER ) != NULL, "no PR_MDB_PROVIDER.\n" );
    for (i = 0; i < count; i++)
        ok( PROP_TYPE(props[i].ulPropTag) != PT_STRING8, "ANSI string %#lx with MAPI_UNICODE.\n",
            props[i].ulPropTag );
    test_free_buffer( props );

    /* explicit types win over the flag; MAPI assigns the entry ID */
    props = NULL;
    hr = IMAPIStatus_GetProps( status, (SPropTagArray *)&tags, 0, &count, &props );
    ok( hr == MAPI_W_ERRORS_RETURNED, "GetProps returned %#lx.\n", hr );
    if (props)
    {
        ok( props[0].ulPropTag == PR_DISPLAY_NAME_A, "tag %#lx.\n", props[0].ulPropTag );
        ok( props[1].ulPropTag == PR_DISPLAY_NAME_W, "tag %#lx.\n", props[1].ulPropTag );
        ok( props[2].ulPropTag == PROP_TAG(PT_ERROR, PROP_ID(PR_ENTRYID))
            && props[2].Value.err == MAPI_E_NOT_FOUND, "PR_ENTRYID %#lx.\n", props[2].ulPropTag );
        ok( props[3].ulPropTag == PR_RESOURCE_METHODS, "tag %#lx.\n", props[3].ulPropTag );
        ok( props[4].ulPropTag == PR_PROVIDER_DISPLAY_A, "tag %#lx.\n", props[4].ulPropTag );
    }
    test_free_buffer( props );

    hr = IMAPIStatus_GetPropList( status, 0, &list );
    ok( hr == S_OK, "GetPropList returned %#lx.\n", hr );
    if (list)
    {
        for (i = 0; i < list->cValues; i++) if (list->aulPropTag[i] == PR_STATUS_STRING_A) break;
        ok( i < list->cValues, "PR_STATUS_STRING_A is not listed.\n" );
        test_free_buffer( list );
    }

    /* the methods */
    hr = IMAPIStatus_ValidateState( status, 0, 0 );
    ok( hr == S_OK, "ValidateState returned %#lx.\n", hr );
    hr = IMAPIStatus_ValidateState( status, 0, SUPPRESS_UI | CONFIG_CHANGED );
    ok( hr == S_OK, "ValidateState(SUPPRESS_UI) returned %#lx.\n", hr );
    hr = IMAPIStatus_ValidateState( status, 0, 0x1000 );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "ValidateState(0x1000) returned %#lx.\n", hr );
    hr = IMAPIStatus_SettingsDialog( status, 0, 0 );
    ok( hr == MAPI_E_NO_SUPPORT, "SettingsDialog returned %#lx.\n", hr );
    hr = IMAPIStatus_FlushQueues( status, 0, 0, NULL, FLUSH_UPLOAD );
    ok( hr == MAPI_E_NO_SUPPORT, "FlushQueues returned %#lx.\n", hr );

    /* the password: a wrong old one changes nothing */
    hr = IMAPIStatus_ChangePassword( status, (WCHAR *)L"wrong", (WCHAR *)L"s3cret", MAPI_UNICODE );
    ok( hr == MAPI_E_NO_ACCESS, "ChangePassword with a wrong password returned %#lx.\n", hr );
    hr = IMAPIStatus_ChangePassword( status, (WCHAR *)L"test", (WCHAR *)L"s3cret", 0x2 );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "ChangePassword(0x2) returned %#lx.\n", hr );
    ok( store_password_crc( ws.store ) == TEST_PASSWORD_CRC, "the password changed.\n" );
    check_log( "" );
    hr = IMAPIStatus_ChangePassword( status, (WCHAR *)L"test", (WCHAR *)L"s3cret", MAPI_UNICODE );
    ok( hr == S_OK, "ChangePassword returned %#lx.\n", hr );
    ok( store_password_crc( ws.store ) != TEST_PASSWORD_CRC, "the password did not change.\n" );
    /* the profile remembered the old password: it gets the new one */
    check_log( "SetProps(0x6703001f); SaveChanges; " );

    /* a new store name reaches the row and the object */
    prop.ulPropTag = PR_DISPLAY_NAME_W;
    prop.Value.lpszW = (WCHAR *)L"Renamed store";
    hr = IMsgStore_SetProps( ws.store, 1, &prop, NULL );
    ok( hr == S_OK, "renaming the store returned %#lx.\n", hr );
    call_log[0] = 0;
    ok( status_row_calls == 2, "ModifyStatusRow was called %ld times.\n", status_row_calls );
    ok( status_row_flags == STATUSROW_UPDATE, "ModifyStatusRow flags %#lx.\n", status_row_flags );
    ok( !wcscmp( status_row_name, L"Renamed store" ), "row name %s.\n", wine_dbgstr_w(status_row_name) );
    props = NULL;
    hr = IMAPIStatus_GetProps( status, (SPropTagArray *)&store_name, 0, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    ok( props && !wcscmp( props[0].Value.lpszW, L"Renamed store" ), "status name %s.\n",
        props ? wine_dbgstr_w(props[0].Value.lpszW) : "" );
    test_free_buffer( props );

    /* a second object of the same logon; both die with it */
    status2 = open_status( ws.ms_logon, 0 );
    wstore_logoff( &ws );
    hr = IMAPIStatus_ValidateState( status, 0, 0 );
    ok( hr == MAPI_E_INVALID_OBJECT, "ValidateState after Logoff returned %#lx.\n", hr );
    hr = IMAPIStatus_GetProps( status, NULL, 0, &count, &props );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps after Logoff returned %#lx.\n", hr );
    hr = IMAPIStatus_ChangePassword( status, (WCHAR *)L"s3cret", (WCHAR *)L"x", MAPI_UNICODE );
    ok( hr == MAPI_E_INVALID_OBJECT, "ChangePassword after Logoff returned %#lx.\n", hr );
    if (status2) check_dead( status2 );
    ok( !IMAPIStatus_Release( status ), "the status object is still referenced.\n" );
    if (status2) ok( !IMAPIStatus_Release( status2 ), "the status object is still referenced.\n" );

    /* the next logon needs the new password */
    hr = wlogon( path, 0, L"test", &ws );
    ok( hr == MAPI_E_FAILONEPROVIDER, "Logon with the old password returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) wstore_logoff( &ws );
    hr = wlogon( path, MDB_WRITE, L"s3cret", &ws );
    ok( hr == S_OK, "Logon with the new password returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    /* an empty new password removes it; ANSI passwords */
    status = open_status( ws.ms_logon, 0 );
    if (status)
    {
        hr = IMAPIStatus_ChangePassword( status, (WCHAR *)"s3cret", (WCHAR *)"", 0 );
        ok( hr == S_OK, "ChangePassword to none returned %#lx.\n", hr );
        ok( !store_password_crc( ws.store ), "the password is still there.\n" );
        /* the remembered password is replaced as Unicode, which logon reads first */
        check_log( "SetProps(0x6703001f); SaveChanges; " );
        IMAPIStatus_Release( status );
    }
logoff:
    wstore_logoff( &ws );
    hr = wlogon( path, 0, NULL, &ws );
    ok( hr == S_OK, "Logon without a password returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) wstore_logoff( &ws );
done:
    if (name) test_free_buffer( name );
    DeleteFileW( path );
}

static void test_status_password(void)
{
    IMAPIStatus *status;
    struct wstore ws;
    WCHAR path[MAX_PATH];
    HRESULT hr;

    if (!copy_sample( "pstsdk_sample1.pst", path ))
    {
        skip( "pstsdk_sample1.pst is not available.\n" );
        return;
    }
    /* read-only: no ChangePassword, and PR_RESOURCE_METHODS says so */
    hr = wlogon( path, 0, NULL, &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    ok( status_row_methods == STATUS_VALIDATE_STATE, "row methods %#lx.\n", status_row_methods );
    if ((status = open_status( ws.ms_logon, 0 )))
    {
        hr = IMAPIStatus_ChangePassword( status, (WCHAR *)"", (WCHAR *)"test", 0 );
        ok( hr == MAPI_E_NO_SUPPORT, "ChangePassword on a read-only store returned %#lx.\n", hr );
        IMAPIStatus_Release( status );
    }
    wstore_logoff( &ws );

    /* a first password; the profile kept none, so it is left alone */
    hr = wlogon( path, MDB_WRITE, NULL, &ws );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    if (hr != S_OK) goto done;
    if ((status = open_status( ws.ms_logon, 0 )))
    {
        hr = IMAPIStatus_ChangePassword( status, (WCHAR *)"x", (WCHAR *)"test", 0 );
        ok( hr == MAPI_E_NO_ACCESS, "a wrong old password for none returned %#lx.\n", hr );
        hr = IMAPIStatus_ChangePassword( status, NULL, (WCHAR *)"test", 0 );
        ok( hr == S_OK, "ChangePassword returned %#lx.\n", hr );
        /* what Outlook stores for "test" (pffinfo on pstsdk's file) */
        ok( store_password_crc( ws.store ) == TEST_PASSWORD_CRC, "PR_PST_PASSWORD %#lx.\n",
            store_password_crc( ws.store ) );
        check_log( "" );
        IMAPIStatus_Release( status );
    }
    wstore_logoff( &ws );
    hr = wlogon( path, 0, NULL, &ws );
    ok( hr == MAPI_E_FAILONEPROVIDER, "Logon without the password returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) wstore_logoff( &ws );
    hr = wlogon( path, 0, L"test", &ws );
    ok( hr == S_OK, "Logon with the password returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) wstore_logoff( &ws );
done:
    DeleteFileW( path );
}

START_TEST(status)
{
    if (!init_winepst()) return;
    if (!getenv( "WINEMAPIX_TEST_DATA" ))
    {
        skip( "no sample PST files: set WINEMAPIX_TEST_DATA\n" );
        return;
    }
    test_status_object();
    test_status_password();
    ok( live_blocks == 0, "%ld buffers leaked.\n", live_blocks );
    ok( pDllCanUnloadNow() == S_OK, "objects are alive after the test.\n" );
}
