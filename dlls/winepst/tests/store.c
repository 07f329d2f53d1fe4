/*
 * Conformance tests of winepst's store properties, named properties and OpenEntry
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
 * Expected values come from pypff (the message store's record set: display
 * name, record key, special folder entry IDs) and from libpst's readpst -D
 * (the name-to-ID map: "Keywords" in PS_PUBLIC_STRINGS is 0x8012 in
 * pstsdk_sample1.pst).
 */

#include "winepst_test.h"
#include "mapiext.h"

static const BYTE sample1_uid[16] =
    { 0x6a,0x55,0x2b,0x81,0x3c,0x43,0xf9,0x43,0x84,0xf1,0x8b,0x7d,0xa2,0x39,0x3e,0x95 };
static const BYTE sample2_uid[16] =
    { 0x52,0x24,0xcb,0x63,0xe0,0x45,0x42,0x43,0x97,0x96,0x65,0x60,0x06,0x89,0x86,0x7a };

/* PST entry ID: 4 zero flag bytes, the store UID, the NID */
static void make_entryid( BYTE *entryid, const BYTE *uid, DWORD nid )
{
    memset( entryid, 0, 4 );
    memcpy( entryid + 4, uid, 16 );
    memcpy( entryid + 20, &nid, 4 );
}

static const SPropValue *find_prop( const SPropValue *props, ULONG count, ULONG tag )
{
    ULONG i;

    for (i = 0; i < count; i++) if (props[i].ulPropTag == tag) return &props[i];
    return NULL;
}

static void test_store_props(void)
{
    static const ULONG tags_list[] = { 10, PR_OBJECT_TYPE, PR_DISPLAY_NAME_W, PR_RECORD_KEY, PR_STORE_RECORD_KEY,
                                             PR_STORE_SUPPORT_MASK, PR_IPM_SUBTREE_ENTRYID, PR_ENTRYID,
                                             PR_VALID_FOLDER_MASK, PR_IPM_OUTBOX_ENTRYID, PR_STORE_ENTRYID };
    SPropTagArray *tags = (SPropTagArray *)tags_list, *list = NULL, empty = { 0 };
    struct test_store ts;
    SPropValue *props = NULL;
    const SPropValue *prop;
    BYTE entryid[24];
    ULONG count, i;
    BOOL unicode;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample1.pst", &ts )) return;

    hr = IMsgStore_GetProps( ts.store, tags, MAPI_UNICODE, &count, &props );
    ok( hr == MAPI_W_ERRORS_RETURNED, "GetProps returned %#lx.\n", hr );
    ok( count == 10, "got %lu values.\n", count );
    if (props)
    {
        ok( props[0].ulPropTag == PR_OBJECT_TYPE && props[0].Value.l == MAPI_STORE, "object type %#lx %ld.\n",
            props[0].ulPropTag, props[0].Value.l );
        ok( props[1].ulPropTag == PR_DISPLAY_NAME_W && !wcscmp( props[1].Value.lpszW, L"sample1" ),
            "display name %#lx %s.\n", props[1].ulPropTag, wine_dbgstr_w( props[1].Value.lpszW ) );
        ok( props[2].ulPropTag == PR_RECORD_KEY && props[2].Value.bin.cb == 16
            && !memcmp( props[2].Value.bin.lpb, sample1_uid, 16 ), "record key %#lx.\n", props[2].ulPropTag );
        ok( props[3].ulPropTag == PR_STORE_RECORD_KEY && props[3].Value.bin.cb == 16
            && !memcmp( props[3].Value.bin.lpb, sample1_uid, 16 ), "store record key %#lx.\n", props[3].ulPropTag );
        ok( props[4].ulPropTag == PR_STORE_SUPPORT_MASK, "support mask tag %#lx.\n", props[4].ulPropTag );
        ok( (props[4].Value.l & (STORE_READONLY | STORE_UNICODE_OK | STORE_ANSI_OK | STORE_ENTRYID_UNIQUE
            | STORE_NOTIFY_OK)) == (STORE_READONLY | STORE_UNICODE_OK | STORE_ANSI_OK | STORE_ENTRYID_UNIQUE
            | STORE_NOTIFY_OK),
            "support mask %#lx.\n", props[4].Value.l );
        ok( !(props[4].Value.l & (STORE_MODIFY_OK | STORE_CREATE_OK | STORE_SUBMIT_OK)),
            "a read-only store claims %#lx.\n", props[4].Value.l );
        make_entryid( entryid, sample1_uid, 0x8022 );
        ok( props[5].ulPropTag == PR_IPM_SUBTREE_ENTRYID && props[5].Value.bin.cb == 24
            && !memcmp( props[5].Value.bin.lpb, entryid, 24 ), "IPM subtree %#lx.\n", props[5].ulPropTag );
        /* the entry ID is the one MAPI wrapped */
        ok( props[6].ulPropTag == PR_ENTRYID && props[6].Value.bin.cb == ts.support.entryid_size + 4
            && !memcmp( props[6].Value.bin.lpb + 4, ts.support.entryid, ts.support.entryid_size )
            && props[6].Value.bin.lpb[0] == 0xcc, "entry ID %#lx, %lu bytes.\n", props[6].ulPropTag,
            props[6].Value.bin.cb );
        /* IPM subtree, Deleted Items and Search Root exist */
        ok( props[7].ulPropTag == PR_VALID_FOLDER_MASK && props[7].Value.l == 0x89, "valid folders %#lx %#lx.\n",
            props[7].ulPropTag, props[7].Value.l );
        ok( props[8].ulPropTag == PROP_TAG(PT_ERROR, PROP_ID(PR_IPM_OUTBOX_ENTRYID))
            && props[8].Value.err == MAPI_E_NOT_FOUND, "outbox %#lx %#lx.\n", props[8].ulPropTag, props[8].Value.err );
        ok( props[9].ulPropTag == PR_STORE_ENTRYID && props[9].Value.bin.cb == props[6].Value.bin.cb,
            "store entry ID %#lx.\n", props[9].ulPropTag );
        test_free_buffer( props );
    }
    /* reading takes nothing from MAPI but the wrapping */
    check_log( "" );

    /* a requested type is returned exactly or not at all */
    {
        ULONG buffer[2] = { 1, PROP_TAG(PT_LONG, 0x3001) };

        props = NULL;
        hr = IMsgStore_GetProps( ts.store, (SPropTagArray *)buffer, 0, &count, &props );
        ok( hr == MAPI_W_ERRORS_RETURNED, "GetProps returned %#lx.\n", hr );
        ok( count == 1 && props[0].ulPropTag == PROP_TAG(PT_ERROR, 0x3001) && props[0].Value.err == MAPI_E_NOT_FOUND,
            "wrong type gave %#lx %#lx.\n", props[0].ulPropTag, props[0].Value.err );
        test_free_buffer( props );
    }
    hr = IMsgStore_GetProps( ts.store, &empty, 0, &count, &props );
    ok( hr == MAPI_E_INVALID_PARAMETER, "an empty tag array gave %#lx.\n", hr );
    hr = IMsgStore_GetProps( ts.store, NULL, 0, NULL, &props );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no count gave %#lx.\n", hr );

    /* everything: strings as PT_STRING8 without MAPI_UNICODE, as PT_UNICODE with it */
    for (unicode = 0; unicode < 2; unicode++)
    {
        props = NULL;
        hr = IMsgStore_GetProps( ts.store, NULL, unicode ? MAPI_UNICODE : 0, &count, &props );
        ok( hr == S_OK, "GetProps(NULL) returned %#lx.\n", hr );
        if (!props) continue;
        for (i = 0; i < count; i++)
        {
            ok( PROP_TYPE(props[i].ulPropTag) != (unicode ? PT_STRING8 : PT_UNICODE), "%s string %#lx.\n",
                unicode ? "ANSI" : "Unicode", props[i].ulPropTag );
            ok( PROP_TYPE(props[i].ulPropTag) != PT_ERROR, "error %#lx.\n", props[i].ulPropTag );
        }
        if (unicode)
        {
            prop = find_prop( props, count, PR_DISPLAY_NAME_W );
            ok( prop && !wcscmp( prop->Value.lpszW, L"sample1" ), "no Unicode display name.\n" );
        }
        else
        {
            prop = find_prop( props, count, PR_DISPLAY_NAME_A );
            ok( prop && !strcmp( prop->Value.lpszA, "sample1" ), "no ANSI display name.\n" );
        }
        ok( find_prop( props, count, PR_OBJECT_TYPE ) != NULL, "no object type.\n" );
        ok( find_prop( props, count, PR_IPM_SUBTREE_ENTRYID ) != NULL, "no IPM subtree.\n" );
        ok( find_prop( props, count, PR_IPM_WASTEBASKET_ENTRYID ) != NULL, "no wastebasket.\n" );
        ok( find_prop( props, count, PR_FINDER_ENTRYID ) != NULL, "no finder.\n" );
        ok( find_prop( props, count, PR_ENTRYID ) != NULL, "no entry ID.\n" );
        ok( find_prop( props, count, PR_MDB_PROVIDER ) != NULL, "no provider UID.\n" );
        test_free_buffer( props );
    }

    list = NULL;
    hr = IMsgStore_GetPropList( ts.store, MAPI_UNICODE, &list );
    ok( hr == S_OK, "GetPropList returned %#lx.\n", hr );
    if (list)
    {
        BOOL name = FALSE, subtree = FALSE, type = FALSE, ansi = FALSE;

        for (i = 0; i < list->cValues; i++)
        {
            if (list->aulPropTag[i] == PR_DISPLAY_NAME_W) name = TRUE;
            if (list->aulPropTag[i] == PR_IPM_SUBTREE_ENTRYID) subtree = TRUE;
            if (list->aulPropTag[i] == PR_OBJECT_TYPE) type = TRUE;
            if (PROP_TYPE(list->aulPropTag[i]) == PT_STRING8) ansi = TRUE;
        }
        ok( name && subtree && type && !ansi, "list: name %d subtree %d type %d ansi %d.\n", name, subtree, type, ansi );
        test_free_buffer( list );
    }

    logoff_test_store( &ts );
    hr = IMsgStore_GetProps( ts.store, tags, 0, &count, &props );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps after Logoff returned %#lx.\n", hr );
    close_test_store( &ts );
}

/* An ANSI store: strings convert between PT_STRING8 and PT_UNICODE */
static void test_ansi_store(void)
{
    ULONG tags_list[] = { 4, PR_DISPLAY_NAME_W, PR_DISPLAY_NAME_A, PROP_TAG(PT_UNSPECIFIED, 0x3001),
                               PR_RECORD_KEY };
    SPropValue *props = NULL;
    struct test_store ts;
    ULONG count;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample2.pst", &ts )) return;

    hr = IMsgStore_GetProps( ts.store, (SPropTagArray *)tags_list, MAPI_UNICODE, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (props)
    {
        ok( props[0].ulPropTag == PR_DISPLAY_NAME_W && !wcscmp( props[0].Value.lpszW, L"sample2" ),
            "Unicode name %#lx.\n", props[0].ulPropTag );
        ok( props[1].ulPropTag == PR_DISPLAY_NAME_A && !strcmp( props[1].Value.lpszA, "sample2" ),
            "ANSI name %#lx.\n", props[1].ulPropTag );
        ok( props[2].ulPropTag == PR_DISPLAY_NAME_W, "PT_UNSPECIFIED with MAPI_UNICODE gave %#lx.\n",
            props[2].ulPropTag );
        ok( props[3].Value.bin.cb == 16 && !memcmp( props[3].Value.bin.lpb, sample2_uid, 16 ), "record key.\n" );
        test_free_buffer( props );
    }
    props = NULL;
    hr = IMsgStore_GetProps( ts.store, (SPropTagArray *)tags_list, 0, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (props)
    {
        ok( props[2].ulPropTag == PR_DISPLAY_NAME_A && !strcmp( props[2].Value.lpszA, "sample2" ),
            "PT_UNSPECIFIED without MAPI_UNICODE gave %#lx.\n", props[2].ulPropTag );
        test_free_buffer( props );
    }
    close_test_store( &ts );
}

static void test_named_props(void)
{
    MAPINAMEID keywords = { (GUID *)&PS_PUBLIC_STRINGS, MNID_STRING }, unknown = { (GUID *)&PS_PUBLIC_STRINGS, MNID_STRING };
    MAPINAMEID mapi = { (GUID *)&PS_MAPI, MNID_ID }, *names[3];
    ULONG id_list[] = { 3, PROP_TAG(PT_UNICODE, 0x8012), PROP_TAG(PT_LONG, 0xfff0), PR_SUBJECT_W };
    SPropTagArray *tags = NULL, *ids = (SPropTagArray *)id_list;
    MAPINAMEID **found = NULL;
    struct test_store ts;
    ULONG count;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample1.pst", &ts )) return;

    keywords.Kind.lpwstrName = (WCHAR *)L"Keywords";
    unknown.Kind.lpwstrName = (WCHAR *)L"no such name in the map";
    mapi.Kind.lID = 0x3001;
    names[0] = &keywords;
    names[1] = &unknown;
    names[2] = &mapi;

    hr = IMsgStore_GetIDsFromNames( ts.store, 3, names, 0, &tags );
    ok( hr == MAPI_W_ERRORS_RETURNED, "GetIDsFromNames returned %#lx.\n", hr );
    if (tags)
    {
        ok( tags->cValues == 3, "got %lu tags.\n", tags->cValues );
        ok( tags->aulPropTag[0] == PROP_TAG(PT_UNSPECIFIED, 0x8012), "Keywords is %#lx.\n", tags->aulPropTag[0] );
        ok( tags->aulPropTag[1] == PROP_TAG(PT_ERROR, 0), "an unknown name is %#lx.\n", tags->aulPropTag[1] );
        ok( tags->aulPropTag[2] == PROP_TAG(PT_UNSPECIFIED, 0x3001), "a PS_MAPI name is %#lx.\n", tags->aulPropTag[2] );
        test_free_buffer( tags );
    }
    /* a read-only store cannot add names, but existing ones still map */
    tags = NULL;
    hr = IMsgStore_GetIDsFromNames( ts.store, 2, names, MAPI_CREATE, &tags );
    ok( hr == MAPI_E_NO_ACCESS, "MAPI_CREATE of a new name returned %#lx.\n", hr );
    hr = IMsgStore_GetIDsFromNames( ts.store, 1, names, MAPI_CREATE, &tags );
    ok( hr == S_OK, "MAPI_CREATE of an existing name returned %#lx.\n", hr );
    if (hr == S_OK) test_free_buffer( tags );
    hr = IMsgStore_GetIDsFromNames( ts.store, 1, names, 0x4000, &tags );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "unknown flags gave %#lx.\n", hr );

    hr = IMsgStore_GetNamesFromIDs( ts.store, &ids, NULL, 0, &count, &found );
    ok( hr == MAPI_W_ERRORS_RETURNED, "GetNamesFromIDs returned %#lx.\n", hr );
    if (found)
    {
        ok( count == 3, "got %lu names.\n", count );
        ok( found[0] && IsEqualGUID( found[0]->lpguid, &PS_PUBLIC_STRINGS ) && found[0]->ulKind == MNID_STRING
            && !wcscmp( found[0]->Kind.lpwstrName, L"Keywords" ), "0x8012 is not Keywords.\n" );
        ok( !found[1], "an unknown ID has a name.\n" );
        ok( found[2] && IsEqualGUID( found[2]->lpguid, &PS_MAPI ) && found[2]->ulKind == MNID_ID
            && found[2]->Kind.lID == 0x0037, "a plain ID is not its PS_MAPI name.\n" );
        test_free_buffer( found );
    }
    close_test_store( &ts );
}

static void test_open_entry(void)
{
    static const ULONG name_list[] = { 2, PR_DISPLAY_NAME_W, PR_OBJECT_TYPE };
    static const BYTE foreign_uid[16] = { 1, 2, 3 };
    SPropValue *props = NULL;
    struct test_store ts;
    IUnknown *unk, *held;
    BYTE entryid[24];
    ULONG type, count;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample1.pst", &ts )) return;

    /* NULL opens the root folder */
    type = 0xdead;
    unk = NULL;
    hr = IMsgStore_OpenEntry( ts.store, 0, NULL, NULL, 0, &type, &unk );
    ok( hr == S_OK, "OpenEntry(NULL) returned %#lx.\n", hr );
    ok( type == MAPI_FOLDER, "type %lu.\n", type );
    if (unk)
    {
        hr = IMAPIFolder_GetProps( (IMAPIFolder *)unk, (SPropTagArray *)name_list, MAPI_UNICODE, &count, &props );
        ok( SUCCEEDED(hr), "GetProps returned %#lx.\n", hr );
        ok( props && props[1].ulPropTag == PR_OBJECT_TYPE && props[1].Value.l == MAPI_FOLDER, "not a folder.\n" );
        test_free_buffer( props );
        IUnknown_Release( unk );
    }

    /* the IPM subtree */
    make_entryid( entryid, sample1_uid, 0x8022 );
    unk = NULL;
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, &IID_IMAPIFolder, 0, &type, &unk );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    if (unk)
    {
        props = NULL;
        hr = IMAPIFolder_GetProps( (IMAPIFolder *)unk, (SPropTagArray *)name_list, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
        ok( props && !wcscmp( props[0].Value.lpszW, L"Top of Outlook data file" ), "name %s.\n",
            props ? wine_dbgstr_w( props[0].Value.lpszW ) : "" );
        test_free_buffer( props );
        IUnknown_Release( unk );
    }
    /* the same through IMSLogon */
    unk = NULL;
    hr = IMSLogon_OpenEntry( ts.ms_logon, sizeof(entryid), (ENTRYID *)entryid, NULL, 0, &type, &unk );
    ok( hr == S_OK && type == MAPI_FOLDER, "IMSLogon::OpenEntry returned %#lx, type %lu.\n", hr, type );
    if (unk) IUnknown_Release( unk );

    /* the sample message */
    make_entryid( entryid, sample1_uid, 0x200024 );
    unk = NULL;
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, NULL, 0, &type, &unk );
    ok( hr == S_OK && type == MAPI_MESSAGE, "opening a message returned %#lx, type %lu.\n", hr, type );
    if (unk) IUnknown_Release( unk );

    /* errors */
    make_entryid( entryid, sample1_uid, 0x8022 );
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, &IID_IMessage, 0, &type, &unk );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "a folder as IMessage gave %#lx.\n", hr );
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, NULL, MAPI_MODIFY, &type, &unk );
    ok( hr == MAPI_E_NO_ACCESS, "MAPI_MODIFY gave %#lx.\n", hr );
    unk = NULL;
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, NULL, MAPI_MODIFY | MAPI_BEST_ACCESS,
                              &type, &unk );
    ok( hr == S_OK, "MAPI_BEST_ACCESS gave %#lx.\n", hr );
    if (unk) IUnknown_Release( unk );
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid) - 1, (ENTRYID *)entryid, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_INVALID_ENTRYID, "a short entry ID gave %#lx.\n", hr );
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, NULL, 0, NULL, &unk );
    ok( hr == MAPI_E_INVALID_PARAMETER, "no type pointer gave %#lx.\n", hr );
    make_entryid( entryid, foreign_uid, 0x8022 );
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_INVALID_ENTRYID, "a foreign store's entry ID gave %#lx.\n", hr );
    make_entryid( entryid, sample1_uid, 0x7fffe2 );
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_NOT_FOUND, "an absent folder gave %#lx.\n", hr );
    make_entryid( entryid, sample1_uid, 0x21 );
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_INVALID_ENTRYID, "an internal node gave %#lx.\n", hr );

    /* a folder held over Logoff dies with the store */
    held = NULL;
    hr = IMsgStore_OpenEntry( ts.store, 0, NULL, NULL, 0, &type, &held );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    logoff_test_store( &ts );
    if (held)
    {
        props = NULL;
        hr = IMAPIFolder_GetProps( (IMAPIFolder *)held, NULL, 0, &count, &props );
        ok( hr == MAPI_E_INVALID_OBJECT, "a folder after Logoff answered %#lx.\n", hr );
        ok( !IUnknown_Release( held ), "the folder is still referenced.\n" );
    }
    hr = IMSLogon_OpenEntry( ts.ms_logon, 0, NULL, NULL, 0, &type, &unk );
    ok( hr == MAPI_E_INVALID_OBJECT, "IMSLogon::OpenEntry after Logoff gave %#lx.\n", hr );
    close_test_store( &ts );
}

/* IMsgStore's spooler methods in a store without spooler or submission
 * (imsgstore-abortsubmit.md, -finishedmsg.md, -notifynewmail.md) */
static void test_spooler_methods(void)
{
    static const BYTE foreign_uid[16] = { 1, 2, 3 };
    BYTE message[24], folder[24], foreign[24];
    NOTIFICATION notification;
    struct test_store ts;
    ULONG connection;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample1.pst", &ts )) return;
    /* pypff: "Here is a sample message" in folder "Sample1" */
    make_entryid( message, sample1_uid, 0x200024 );
    make_entryid( folder, sample1_uid, 0x8082 );
    make_entryid( foreign, foreign_uid, 0x200024 );

    /* nothing is ever in the outgoing queue */
    hr = IMsgStore_AbortSubmit( ts.store, sizeof(message), (ENTRYID *)message, 0 );
    ok( hr == MAPI_E_NOT_IN_QUEUE, "AbortSubmit returned %#lx.\n", hr );
    hr = IMsgStore_AbortSubmit( ts.store, sizeof(message), (ENTRYID *)message, 1 );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "AbortSubmit(1) returned %#lx.\n", hr );
    hr = IMsgStore_AbortSubmit( ts.store, sizeof(message) - 1, (ENTRYID *)message, 0 );
    ok( hr == MAPI_E_INVALID_ENTRYID, "AbortSubmit of a short entry ID returned %#lx.\n", hr );
    hr = IMsgStore_AbortSubmit( ts.store, 0, NULL, 0 );
    ok( hr == MAPI_E_INVALID_ENTRYID, "AbortSubmit(NULL) returned %#lx.\n", hr );
    hr = IMsgStore_AbortSubmit( ts.store, sizeof(foreign), (ENTRYID *)foreign, 0 );
    ok( hr == MAPI_E_INVALID_ENTRYID, "AbortSubmit of another store's message returned %#lx.\n", hr );
    hr = IMsgStore_AbortSubmit( ts.store, sizeof(folder), (ENTRYID *)folder, 0 );
    ok( hr == MAPI_E_INVALID_ENTRYID, "AbortSubmit of a folder returned %#lx.\n", hr );

    /* only the spooler may call it, and there is none */
    hr = IMsgStore_FinishedMsg( ts.store, 0, sizeof(message), (ENTRYID *)message );
    ok( hr == MAPI_E_NO_SUPPORT, "FinishedMsg returned %#lx.\n", hr );
    hr = IMsgStore_FinishedMsg( ts.store, 1, sizeof(message), (ENTRYID *)message );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "FinishedMsg(1) returned %#lx.\n", hr );

    /* new mail goes to the store's subscribers, keyed by its UID */
    hr = IMsgStore_Advise( ts.store, 0, NULL, fnevNewMail, (IMAPIAdviseSink *)0xdeadbeef, &connection );
    ok( hr == S_OK, "Advise returned %#lx.\n", hr );
    check_log( "Subscribe(16, 0x2); " );
    memset( &notification, 0, sizeof(notification) );
    notification.ulEventType = fnevNewMail;
    notification.info.newmail.cbEntryID = sizeof(message);
    notification.info.newmail.lpEntryID = (ENTRYID *)message;
    notification.info.newmail.cbParentID = sizeof(folder);
    notification.info.newmail.lpParentID = (ENTRYID *)folder;
    notification.info.newmail.lpszMessageClass = (void *)"IPM.Note";
    notify_calls = 0;
    notify_last_event = notify_last_key_size = 0;
    hr = IMsgStore_NotifyNewMail( ts.store, &notification );
    ok( hr == S_OK, "NotifyNewMail returned %#lx.\n", hr );
    ok( notify_calls == 1, "Notify was called %ld times.\n", notify_calls );
    ok( notify_last_event == fnevNewMail, "event %#lx.\n", notify_last_event );
    ok( notify_last_key_size == 16, "key of %lu bytes.\n", notify_last_key_size );

    /* what is not a new mail notification of this store */
    notify_calls = 0;
    hr = IMsgStore_NotifyNewMail( ts.store, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "NotifyNewMail(NULL) returned %#lx.\n", hr );
    notification.ulEventType = fnevObjectCreated;
    hr = IMsgStore_NotifyNewMail( ts.store, &notification );
    ok( hr == MAPI_E_INVALID_PARAMETER, "fnevObjectCreated returned %#lx.\n", hr );
    notification.ulEventType = fnevNewMail;
    notification.info.newmail.lpEntryID = (ENTRYID *)foreign;
    hr = IMsgStore_NotifyNewMail( ts.store, &notification );
    ok( hr == MAPI_E_INVALID_ENTRYID, "another store's message returned %#lx.\n", hr );
    notification.info.newmail.lpEntryID = (ENTRYID *)folder;
    hr = IMsgStore_NotifyNewMail( ts.store, &notification );
    ok( hr == MAPI_E_INVALID_ENTRYID, "a folder as the message returned %#lx.\n", hr );
    notification.info.newmail.lpEntryID = (ENTRYID *)message;
    notification.info.newmail.lpParentID = (ENTRYID *)message;
    hr = IMsgStore_NotifyNewMail( ts.store, &notification );
    ok( hr == MAPI_E_INVALID_ENTRYID, "a message as the folder returned %#lx.\n", hr );
    notification.info.newmail.lpParentID = (ENTRYID *)folder;
    notification.info.newmail.cbEntryID = 3;
    hr = IMsgStore_NotifyNewMail( ts.store, &notification );
    ok( hr == MAPI_E_INVALID_ENTRYID, "a short entry ID returned %#lx.\n", hr );
    notification.info.newmail.cbEntryID = sizeof(message);
    notification.info.newmail.ulFlags = 0x10;
    hr = IMsgStore_NotifyNewMail( ts.store, &notification );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "unknown flags returned %#lx.\n", hr );
    notification.info.newmail.ulFlags = MAPI_UNICODE;
    notification.info.newmail.lpszMessageClass = (void *)L"IPM.Note";
    hr = IMsgStore_NotifyNewMail( ts.store, &notification );
    ok( hr == S_OK, "a Unicode class returned %#lx.\n", hr );
    ok( notify_calls == 1, "Notify was called %ld times.\n", notify_calls );

    logoff_test_store( &ts );
    hr = IMsgStore_NotifyNewMail( ts.store, &notification );
    ok( hr == MAPI_E_INVALID_OBJECT, "NotifyNewMail after Logoff returned %#lx.\n", hr );
    hr = IMsgStore_AbortSubmit( ts.store, sizeof(message), (ENTRYID *)message, 0 );
    ok( hr == MAPI_E_INVALID_OBJECT, "AbortSubmit after Logoff returned %#lx.\n", hr );
    hr = IMsgStore_FinishedMsg( ts.store, 0, sizeof(message), (ENTRYID *)message );
    ok( hr == MAPI_E_INVALID_OBJECT, "FinishedMsg after Logoff returned %#lx.\n", hr );
    close_test_store( &ts );
}

/* The string column of a table in the type its tag names: MAPI_UNICODE only
 * chooses the type of PT_UNSPECIFIED tags and of the default columns. */
static const SPropValue *table_find( IMAPITable *table, const SPropTagArray *columns, DWORD nid, SRowSet **rows )
{
    BYTE entryid[24];
    ULONG i;
    HRESULT hr;

    *rows = NULL;
    hr = IMAPITable_SetColumns( table, (SPropTagArray *)columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( table, 100, 0, rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    make_entryid( entryid, sample1_uid, nid );
    for (i = 0; i < (*rows)->cRows; i++)
    {
        const SPropValue *props = (*rows)->aRow[i].lpProps;

        if (props[0].ulPropTag == PR_ENTRYID && props[0].Value.bin.cb == sizeof(entryid)
                && !memcmp( props[0].Value.bin.lpb, entryid, sizeof(entryid) ))
            return props;
    }
    ok( 0, "no row of %#lx.\n", nid );
    return NULL;
}

static void free_rows( SRowSet *rows )
{
    ULONG i;

    if (!rows) return;
    for (i = 0; i < rows->cRows; i++) test_free_buffer( rows->aRow[i].lpProps );
    test_free_buffer( rows );
}

static void test_table_string_types(void)
{
    static const ULONG folder_list[] = { 4, PR_ENTRYID, PR_DISPLAY_NAME_W, PR_DISPLAY_NAME_A,
                                         PROP_TAG(PT_UNSPECIFIED, 0x3001) };
    static const ULONG message_list[] = { 3, PR_ENTRYID, PR_SUBJECT_W, PR_SUBJECT_A };
    IMAPIFolder *root = NULL, *folder = NULL;
    IMAPITable *table = NULL;
    const SPropValue *props;
    struct test_store ts;
    SRowSet *rows;
    BYTE entryid[24];
    ULONG type, flags, i;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample1.pst", &ts )) return;
    hr = IMsgStore_OpenEntry( ts.store, 0, NULL, NULL, 0, &type, (IUnknown **)&root );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    if (!root) goto done;

    /* pypff: "Top of Outlook data file" (0x8022) under the root */
    for (i = 0; i < 2; i++)
    {
        flags = i ? MAPI_UNICODE : 0;
        winetest_push_context( "flags %#lx", flags );
        hr = IMAPIFolder_GetHierarchyTable( root, flags, &table );
        ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
        if (table && (props = table_find( table, (SPropTagArray *)folder_list, 0x8022, &rows )))
        {
            ok( props[1].ulPropTag == PR_DISPLAY_NAME_W, "PR_DISPLAY_NAME_W is %#lx.\n", props[1].ulPropTag );
            if (props[1].ulPropTag == PR_DISPLAY_NAME_W)
                ok( !wcscmp( props[1].Value.lpszW, L"Top of Outlook data file" ), "name %s.\n",
                    wine_dbgstr_w(props[1].Value.lpszW) );
            ok( props[2].ulPropTag == PR_DISPLAY_NAME_A, "PR_DISPLAY_NAME_A is %#lx.\n", props[2].ulPropTag );
            if (props[2].ulPropTag == PR_DISPLAY_NAME_A)
                ok( !strcmp( props[2].Value.lpszA, "Top of Outlook data file" ), "name %s.\n",
                    props[2].Value.lpszA );
            /* the unspecified type follows the flag */
            ok( props[3].ulPropTag == (flags ? PR_DISPLAY_NAME_W : PR_DISPLAY_NAME_A), "PT_UNSPECIFIED gave %#lx.\n",
                props[3].ulPropTag );
        }
        free_rows( rows );
        if (table) IMAPITable_Release( table );
        table = NULL;
        winetest_pop_context();
    }

    /* the same for contents tables: "Here is a sample message" in Sample1 */
    make_entryid( entryid, sample1_uid, 0x8082 );
    hr = IMsgStore_OpenEntry( ts.store, sizeof(entryid), (ENTRYID *)entryid, NULL, 0, &type, (IUnknown **)&folder );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    if (folder)
    {
        hr = IMAPIFolder_GetContentsTable( folder, 0, &table );
        ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
        if (table && (props = table_find( table, (SPropTagArray *)message_list, 0x200024, &rows )))
        {
            ok( props[1].ulPropTag == PR_SUBJECT_W && !wcscmp( props[1].Value.lpszW, L"Here is a sample message" ),
                "PR_SUBJECT_W is %#lx.\n", props[1].ulPropTag );
            ok( props[2].ulPropTag == PR_SUBJECT_A && !strcmp( props[2].Value.lpszA, "Here is a sample message" ),
                "PR_SUBJECT_A is %#lx.\n", props[2].ulPropTag );
        }
        free_rows( rows );
        if (table) IMAPITable_Release( table );
        IMAPIFolder_Release( folder );
    }
    IMAPIFolder_Release( root );
done:
    logoff_test_store( &ts );
    close_test_store( &ts );
}

START_TEST(store)
{
    if (!init_winepst()) return;
    if (!getenv( "WINEMAPIX_TEST_DATA" ))
    {
        skip( "no sample PST files: set WINEMAPIX_TEST_DATA\n" );
        return;
    }
    test_store_props();
    test_ansi_store();
    test_named_props();
    test_open_entry();
    test_spooler_methods();
    test_table_string_types();
    ok( live_blocks == 0, "%ld buffers leaked.\n", live_blocks );
    ok( pDllCanUnloadNow() == S_OK, "objects are alive after the test.\n" );
}
