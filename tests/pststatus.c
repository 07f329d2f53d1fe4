/*
 * End to end: the PST store's status row, its password through the message
 * service, and new mail notifications, through mapi32
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
 * A program adds pstsdk's test_unicode.pst (password "test", SOURCES.md) to
 * a profile with its password remembered, changes the password through
 * ConfigureMsgService as Outlook's service allows (mspst.h), logs on,
 * finds the store's row in the session's status table
 * (status-object-implementation.md: a provider adds it during logon), and
 * raises new mail with IMsgStore::NotifyNewMail for a sink advised on the
 * store (imsgstore-notifynewmail.md).  pypff: the message "Test" is NID
 * 0x200024 in folder 0x8022 ("Top of Personal Folders").
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "mapidefs.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"
#include "mapi32_test.h"

/* mapiguid.h's IIDs are not instantiated in this test program */
static const GUID iid_status = { 0x00020305, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };

#define PR_PST_PATH_W          PROP_TAG(PT_UNICODE, 0x6700)
#define PR_PST_REMEMBER_PW     PROP_TAG(PT_BOOLEAN, 0x6701)
#define PR_PST_PW_SZ_OLD_W     PROP_TAG(PT_UNICODE, 0x6703)
#define PR_PST_PW_SZ_NEW_W     PROP_TAG(PT_UNICODE, 0x6704)
#define STATUS_VALIDATE_STATE  0x00000001
#define STATUS_CHANGE_PASSWORD 0x00000004
#define STATUS_AVAILABLE       0x00000001
#define MAPI_STORE_PROVIDER    33

static const char profile_name[] = "winepst status";
static const WCHAR profile_name_w[] = L"winepst status";
static WCHAR pst_path[MAX_PATH];

/* ------------------------------------------------------------------ */
/* an advise sink that counts new mail                                 */

static LONG newmail_count;
static BYTE newmail_entryid[64];
static ULONG newmail_entryid_size;

/* a static object: MAPI may ask it for IUnknown or IMAPIAdviseSink */
static HRESULT WINAPI sink_QueryInterface( IMAPIAdviseSink *iface, REFIID riid, void **out )
{
    *out = iface;
    return S_OK;
}

static ULONG WINAPI sink_AddRef( IMAPIAdviseSink *iface )
{
    return 2;
}

static ULONG WINAPI sink_Release( IMAPIAdviseSink *iface )
{
    return 1;
}

static HRESULT WINAPI sink_OnNotify( IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifications )
{
    ULONG i;

    for (i = 0; i < count; i++)
    {
        ok( notifications[i].ulEventType == fnevNewMail, "event %#lx.\n", notifications[i].ulEventType );
        if (notifications[i].ulEventType != fnevNewMail) continue;
        newmail_count++;
        newmail_entryid_size = min( notifications[i].info.newmail.cbEntryID, sizeof(newmail_entryid) );
        memcpy( newmail_entryid, notifications[i].info.newmail.lpEntryID, newmail_entryid_size );
    }
    return 0;
}

static const IMAPIAdviseSinkVtbl sink_vtbl = { sink_QueryInterface, sink_AddRef, sink_Release, sink_OnNotify };
static IMAPIAdviseSink sink = { &sink_vtbl };

/* ------------------------------------------------------------------ */

static BOOL create_profile(void)
{
    IMsgServiceAdmin *admin;
    IProfAdmin *profiles;
    SPropValue props[4];
    BOOL ret = FALSE;
    MAPIUID uid;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &profiles );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (FAILED(hr)) return FALSE;
    IProfAdmin_DeleteProfile( profiles, (WCHAR *)profile_name, 0 );
    hr = IProfAdmin_CreateProfile( profiles, (WCHAR *)profile_name, NULL, 0, 0 );
    ok( hr == S_OK, "CreateProfile returned %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( profiles, (WCHAR *)profile_name, NULL, 0, 0, &admin );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    if (FAILED(hr))
    {
        IProfAdmin_Release( profiles );
        return FALSE;
    }
    hr = IMsgServiceAdmin_CreateMsgService( admin, (WCHAR *)"MSUPST MS", (WCHAR *)"PST status test", 0, 0 );
    ok( hr == S_OK, "CreateMsgService returned %#lx.\n", hr );
    if (!find_service( admin, &uid )) goto done;

    /* the file and its password, remembered in the profile */
    props[0].ulPropTag = PR_PST_PATH_W;
    props[0].Value.lpszW = pst_path;
    props[1].ulPropTag = PR_PST_PW_SZ_OLD_W;
    props[1].Value.lpszW = (WCHAR *)L"wrong";
    props[2].ulPropTag = PR_PST_REMEMBER_PW;
    props[2].Value.b = TRUE;
    hr = IMsgServiceAdmin_ConfigureMsgService( admin, &uid, 0, MAPI_UNICODE, 3, props );
    ok( hr == MAPI_E_LOGON_FAILED, "configuring with a wrong password returned %#lx.\n", hr );
    props[1].Value.lpszW = (WCHAR *)L"test";
    hr = IMsgServiceAdmin_ConfigureMsgService( admin, &uid, 0, MAPI_UNICODE, 3, props );
    ok( hr == S_OK, "ConfigureMsgService returned %#lx.\n", hr );

    /* a new password; the profile follows */
    props[0].ulPropTag = PR_PST_PW_SZ_OLD_W;
    props[0].Value.lpszW = (WCHAR *)L"test";
    props[1].ulPropTag = PR_PST_PW_SZ_NEW_W;
    props[1].Value.lpszW = (WCHAR *)L"n3w";
    hr = IMsgServiceAdmin_ConfigureMsgService( admin, &uid, 0, MAPI_UNICODE, 2, props );
    ok( hr == S_OK, "changing the password returned %#lx.\n", hr );
    ret = SUCCEEDED(hr);
done:
    IMsgServiceAdmin_Release( admin );
    IProfAdmin_Release( profiles );
    return ret;
}

static IMsgStore *open_store( IMAPISession *session )
{
    static const SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    IMsgStore *store = NULL;
    SRowSet *rows = NULL;
    IMAPITable *table;
    const SPropValue *prop;
    HRESULT hr;

    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "GetMsgStoresTable returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK && rows && rows->cRows == 1, "QueryRows returned %#lx.\n", hr );
    if (rows && rows->cRows && (prop = row_prop( &rows->aRow[0], PR_ENTRYID )))
    {
        hr = IMAPISession_OpenMsgStore( session, 0, prop->Value.bin.cb, (ENTRYID *)prop->Value.bin.lpb, NULL,
                                        MDB_NO_DIALOG | MDB_WRITE, &store );
        /* the password remembered by the last configuration opens it */
        ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    }
    if (rows) free_rows( rows );
    IMAPITable_Release( table );
    return store;
}

/* The session's status table shows the store's row, with what MAPI
 * computes (status-tables.md) and what the provider gave. */
static void test_status_row( IMAPISession *session, IMsgStore *store )
{
    static const SizedSPropTagArray(1, name_tag) = { 1, { PR_DISPLAY_NAME_W } };
    SPropValue *name = NULL;
    const SPropValue *prop;
    IMAPITable *table;
    SRowSet *rows;
    const SRow *row = NULL;
    IUnknown *unk = NULL;
    ULONG i, count, type = 0;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, (SPropTagArray *)&name_tag, 0, &count, &name );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    hr = IMAPISession_GetStatusTable( session, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetStatusTable returned %#lx.\n", hr );
    if (FAILED(hr)) goto done;
    hr = IMAPITable_QueryRows( table, 100, 0, &rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    for (i = 0; SUCCEEDED(hr) && i < rows->cRows && !row; i++)
    {
        prop = row_prop( &rows->aRow[i], PR_RESOURCE_TYPE );
        if (prop && prop->Value.l == MAPI_STORE_PROVIDER) row = &rows->aRow[i];
    }
    ok( row != NULL, "no store provider row in the status table.\n" );
    if (row)
    {
        prop = row_prop( row, PR_DISPLAY_NAME_W );
        ok( prop && name && !wcscmp( prop->Value.lpszW, name[0].Value.lpszW ), "PR_DISPLAY_NAME %s.\n",
            prop ? wine_dbgstr_w(prop->Value.lpszW) : "missing" );
        prop = row_prop( row, PR_PROVIDER_DLL_NAME_W );
        ok( prop && !wcsicmp( prop->Value.lpszW, L"winepst.dll" ), "PR_PROVIDER_DLL_NAME %s.\n",
            prop ? wine_dbgstr_w(prop->Value.lpszW) : "missing" );
        prop = row_prop( row, PR_RESOURCE_METHODS );
        ok( prop && prop->Value.l == (STATUS_VALIDATE_STATE | STATUS_CHANGE_PASSWORD), "PR_RESOURCE_METHODS %#lx.\n",
            prop ? prop->Value.l : 0 );
        prop = row_prop( row, PR_STATUS_CODE );
        ok( prop && prop->Value.l == STATUS_AVAILABLE, "PR_STATUS_CODE %#lx.\n", prop ? prop->Value.l : 0 );
        prop = row_prop( row, PR_OBJECT_TYPE );
        ok( prop && prop->Value.l == MAPI_STATUS, "PR_OBJECT_TYPE %ld.\n", prop ? prop->Value.l : 0 );

        /* status-tables.md: PR_ENTRYID of the row opens the status object */
        prop = row_prop( row, PR_ENTRYID );
        ok( prop != NULL, "the row has no PR_ENTRYID.\n" );
        if (prop)
        {
            hr = IMAPISession_OpenEntry( session, prop->Value.bin.cb, (ENTRYID *)prop->Value.bin.lpb, NULL, 0,
                                         &type, &unk );
            ok( hr == S_OK && type == MAPI_STATUS, "OpenEntry of the status row returned %#lx, type %lu.\n",
                hr, type );
            if (SUCCEEDED(hr) && unk)
            {
                IMAPIStatus *status = NULL;

                hr = IUnknown_QueryInterface( unk, &iid_status, (void **)&status );
                ok( hr == S_OK, "QueryInterface(IMAPIStatus) returned %#lx.\n", hr );
                if (status)
                {
                    hr = IMAPIStatus_ValidateState( status, 0, 0 );
                    ok( hr == S_OK, "ValidateState returned %#lx.\n", hr );
                    IMAPIStatus_Release( status );
                }
                IUnknown_Release( unk );
            }
        }
    }
    if (SUCCEEDED(hr)) free_rows( rows );
    IMAPITable_Release( table );
done:
    if (name) pMAPIFreeBuffer( name );
}

static void test_new_mail( IMsgStore *store )
{
    static const SizedSPropTagArray(1, key_tag) = { 1, { PR_RECORD_KEY } };
    BYTE message[24], folder[24];
    NOTIFICATION notification;
    SPropValue *props = NULL;
    ULONG connection = 0, count;
    DWORD nid;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, (SPropTagArray *)&key_tag, 0, &count, &props );
    ok( hr == S_OK && props[0].Value.bin.cb == 16, "GetProps(PR_RECORD_KEY) returned %#lx.\n", hr );
    if (hr != S_OK) return;
    /* a PST entry ID: 4 flag bytes, the store's record key, the NID */
    memset( message, 0, 4 );
    memcpy( message + 4, props[0].Value.bin.lpb, 16 );
    memcpy( folder, message, 20 );
    nid = 0x200024;
    memcpy( message + 20, &nid, 4 );
    nid = 0x8022;
    memcpy( folder + 20, &nid, 4 );
    pMAPIFreeBuffer( props );

    hr = IMsgStore_Advise( store, 0, NULL, fnevNewMail, &sink, &connection );
    ok( hr == S_OK, "Advise returned %#lx.\n", hr );
    memset( &notification, 0, sizeof(notification) );
    notification.ulEventType = fnevNewMail;
    notification.info.newmail.cbEntryID = sizeof(message);
    notification.info.newmail.lpEntryID = (ENTRYID *)message;
    notification.info.newmail.cbParentID = sizeof(folder);
    notification.info.newmail.lpParentID = (ENTRYID *)folder;
    notification.info.newmail.lpszMessageClass = (void *)"IPM.Note";
    newmail_count = 0;
    hr = IMsgStore_NotifyNewMail( store, &notification );
    ok( hr == S_OK, "NotifyNewMail returned %#lx.\n", hr );
    /* MAPI calls the sinks of a notification before Notify returns */
    ok( newmail_count == 1, "the sink got %ld new mail notifications.\n", newmail_count );
    ok( newmail_entryid_size == sizeof(message) && !memcmp( newmail_entryid, message, sizeof(message) ),
        "the notification names another message.\n" );

    /* bad input reaches no sink */
    notification.info.newmail.lpEntryID = (ENTRYID *)folder;
    hr = IMsgStore_NotifyNewMail( store, &notification );
    ok( hr == MAPI_E_INVALID_ENTRYID, "a folder as new mail returned %#lx.\n", hr );
    ok( newmail_count == 1, "the sink got %ld new mail notifications.\n", newmail_count );

    /* no sink after Unadvise */
    hr = IMsgStore_Unadvise( store, connection );
    ok( hr == S_OK, "Unadvise returned %#lx.\n", hr );
    notification.info.newmail.lpEntryID = (ENTRYID *)message;
    hr = IMsgStore_NotifyNewMail( store, &notification );
    ok( hr == S_OK, "NotifyNewMail returned %#lx.\n", hr );
    /* MAPI calls the sinks of a notification before Notify returns */
    ok( newmail_count == 1, "the sink got %ld new mail notifications.\n", newmail_count );
}

START_TEST(pststatus)
{
    IMAPISession *session = NULL;
    IProfAdmin *profiles;
    IMsgStore *store;
    HMODULE mapi32;
    HRESULT hr;

    if (!(mapi32 = load_mapi32())) return;
    if (!copy_sample( "pstsdk_test_unicode.pst", pst_path, NULL ))
    {
        skip( "no sample PST.\n" );
        return;
    }
    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    if (create_profile())
    {
        hr = pMAPILogonEx( 0, (WCHAR *)profile_name_w, NULL,
                           MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_EXPLICIT_PROFILE | MAPI_UNICODE, &session );
        ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    }
    if (session)
    {
        if ((store = open_store( session )))
        {
            test_status_row( session, store );
            test_new_mail( store );
            IMsgStore_Release( store );
        }
        IMAPISession_Logoff( session, 0, 0, 0 );
        IMAPISession_Release( session );
    }
    if (SUCCEEDED(pMAPIAdminProfiles( 0, &profiles )))
    {
        IProfAdmin_DeleteProfile( profiles, (WCHAR *)profile_name, 0 );
        IProfAdmin_Release( profiles );
    }
    pMAPIUninitialize();
    DeleteFileW( pst_path );
    FreeLibrary( mapi32 );
}
