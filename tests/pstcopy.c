/*
 * IMAPIProp::CopyTo and CopyProps of winepst's messages, attachments and
 * folders, through Wine's mapi32, winemapix's support object and winepst
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
 * The source is the message of pstsdk_submessage.pst.  Expected values come
 * from readpst 0.6.76 (`readpst -D -S`) and pffexport of that file:
 *   subject    "This is a message which has an embedded message attached"
 *   body       "This is the body of the regular message"
 *   recipient  "Terry Mahaffey" (To)
 *   attachment an embedded message, subject "This is an embedded message",
 *              body "This is the body of an embedded message"
 * It sits in folder "submessage" under the IPM subtree.
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
#include "objidl.h"

#include "wine/test.h"
#include "mapi32_test.h"

#define PR_PST_PATH_W  PROP_TAG(PT_UNICODE, 0x6700)

static const GUID iid_unknown = { 0x00000000, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID iid_mapiprop = { 0x00020303, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID iid_message = { 0x00020307, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID iid_attach = { 0x00020308, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID iid_stream = { 0x0000000c, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID iid_folder = { 0x0002030c, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };

static const WCHAR src_subject[] = L"This is a message which has an embedded message attached";
static const WCHAR src_body[] = L"This is the body of the regular message";
static const WCHAR src_recipient[] = L"Terry Mahaffey";
static const WCHAR embedded_subject[] = L"This is an embedded message";
static const WCHAR embedded_body[] = L"This is the body of an embedded message";

static const char profile_name[] = "winepst copy";
static const WCHAR profile_name_w[] = L"winepst copy";
static WCHAR pst_path[MAX_PATH];

/* what the copies wrote, read again after a new logon */
static BYTE copy_entryid[64], tree_copy_entryid[64];
static ULONG copy_entryid_size, tree_copy_entryid_size;

static BOOL create_profile(void)
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_SERVICE_UID, PR_SERVICE_NAME_A } };
    IMsgServiceAdmin *admin;
    IProfAdmin *profiles;
    const SPropValue *name, *service;
    IMAPITable *table;
    SPropValue props[1];
    SRowSet *rows;
    BOOL found = FALSE;
    MAPIUID uid;
    HRESULT hr;
    ULONG i;

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
    hr = IMsgServiceAdmin_CreateMsgService( admin, (WCHAR *)"MSUPST MS", (WCHAR *)"PST copy", 0, 0 );
    ok( hr == S_OK, "CreateMsgService returned %#lx.\n", hr );
    if (SUCCEEDED(IMsgServiceAdmin_GetMsgServiceTable( admin, 0, &table )))
    {
        IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
        while (!found && SUCCEEDED(IMAPITable_QueryRows( table, 10, 0, &rows )) && rows->cRows)
        {
            for (i = 0; i < rows->cRows; i++)
            {
                name = row_prop( &rows->aRow[i], PR_SERVICE_NAME_A );
                service = row_prop( &rows->aRow[i], PR_SERVICE_UID );
                if (!found && name && service && !strcmp( name->Value.lpszA, "MSUPST MS" ))
                {
                    memcpy( &uid, service->Value.bin.lpb, sizeof(uid) );
                    found = TRUE;
                }
            }
            free_rows( rows );
        }
        IMAPITable_Release( table );
    }
    ok( found, "no service.\n" );
    if (found)
    {
        props[0].ulPropTag = PR_PST_PATH_W;
        props[0].Value.lpszW = pst_path;
        hr = IMsgServiceAdmin_ConfigureMsgService( admin, &uid, 0, 0, 1, props );
        ok( hr == S_OK, "ConfigureMsgService returned %#lx.\n", hr );
        found = SUCCEEDED(hr);
    }
    IMsgServiceAdmin_Release( admin );
    IProfAdmin_Release( profiles );
    return found;
}

static IMAPISession *logon(void)
{
    IMAPISession *session = NULL;
    HRESULT hr;

    hr = pMAPILogonEx( 0, (WCHAR *)profile_name_w, NULL,
                       MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_EXPLICIT_PROFILE | MAPI_UNICODE, &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    return SUCCEEDED(hr) ? session : NULL;
}

static IMsgStore *open_store( IMAPISession *session )
{
    static const SizedSPropTagArray(1, columns) = { 1, { PR_ENTRYID } };
    IMsgStore *store = NULL;
    const SPropValue *prop;
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;

    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "GetMsgStoresTable returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    if (SUCCEEDED(IMAPITable_QueryRows( table, 10, 0, &rows )))
    {
        if (rows->cRows && (prop = row_prop( &rows->aRow[0], PR_ENTRYID )))
        {
            hr = IMAPISession_OpenMsgStore( session, 0, prop->Value.bin.cb, (ENTRYID *)prop->Value.bin.lpb, NULL,
                                            MDB_NO_DIALOG | MDB_WRITE, &store );
            ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
    return store;
}

static HRESULT get_prop( IMAPIProp *obj, ULONG tag, SPropValue **value )
{
    SizedSPropTagArray(1, tags) = { 1, { tag } };
    ULONG count;
    HRESULT hr;

    *value = NULL;
    hr = IMAPIProp_GetProps( obj, (SPropTagArray *)&tags, MAPI_UNICODE, &count, value );
    if (FAILED(hr)) return hr;
    if ((*value)->ulPropTag != tag)
    {
        hr = PROP_TYPE((*value)->ulPropTag) == PT_ERROR ? (*value)->Value.err : MAPI_E_NOT_FOUND;
        pMAPIFreeBuffer( *value );
        *value = NULL;
    }
    return hr;
}

/* TRUE if obj's string property TAG is EXPECTED (NULL: absent). */
#define check_string(a, b, c) check_string_( __LINE__, (IMAPIProp *)(a), b, c )
static void check_string_( unsigned int line, IMAPIProp *obj, ULONG tag, const WCHAR *expected )
{
    SPropValue *value;
    HRESULT hr;

    hr = get_prop( obj, tag, &value );
    if (!expected)
    {
        ok_( __FILE__, line )( hr == MAPI_E_NOT_FOUND, "property %#lx: %#lx, expected none.\n", tag, hr );
        if (SUCCEEDED(hr)) pMAPIFreeBuffer( value );
        return;
    }
    ok_( __FILE__, line )( hr == S_OK, "property %#lx: %#lx.\n", tag, hr );
    if (FAILED(hr)) return;
    ok_( __FILE__, line )( !wcsncmp( value->Value.lpszW, expected, wcslen( expected ) ), "property %#lx is %s.\n",
                           tag, wine_dbgstr_w(value->Value.lpszW) );
    pMAPIFreeBuffer( value );
}

static ULONG table_rows( HRESULT hr, IMAPITable *table )
{
    ULONG count = ~0u;

    ok( hr == S_OK, "getting the table returned %#lx.\n", hr );
    if (FAILED(hr)) return ~0u;
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK, "GetRowCount returned %#lx.\n", hr );
    IMAPITable_Release( table );
    return count;
}

static ULONG recipient_count( IMessage *message )
{
    IMAPITable *table = NULL;
    HRESULT hr = IMessage_GetRecipientTable( message, 0, &table );
    return table_rows( hr, table );
}

static ULONG attachment_count( IMessage *message )
{
    IMAPITable *table = NULL;
    HRESULT hr = IMessage_GetAttachmentTable( message, 0, &table );
    return table_rows( hr, table );
}

static ULONG content_count( IMAPIFolder *folder )
{
    IMAPITable *table = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable( folder, 0, &table );
    return table_rows( hr, table );
}

static ULONG assoc_count( IMAPIFolder *folder )
{
    IMAPITable *table = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable( folder, MAPI_ASSOCIATED, &table );
    return table_rows( hr, table );
}

static ULONG subfolder_count( IMAPIFolder *folder )
{
    IMAPITable *table = NULL;
    HRESULT hr = IMAPIFolder_GetHierarchyTable( folder, 0, &table );
    return table_rows( hr, table );
}

static IUnknown *open_entry( IMsgStore *store, ULONG size, const void *entry, ULONG flags )
{
    IUnknown *unk = NULL;
    ULONG type;
    HRESULT hr;

    hr = IMsgStore_OpenEntry( store, size, (ENTRYID *)entry, NULL, flags, &type, &unk );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    return unk;
}

/* The first row's PR_ENTRYID of a table, opened. */
static IUnknown *open_first( IMsgStore *store, HRESULT hr, IMAPITable *table, const WCHAR *name, ULONG flags )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_DISPLAY_NAME_W } };
    const SPropValue *eid, *dn;
    IUnknown *unk = NULL;
    SRowSet *rows;
    ULONG i;

    ok( hr == S_OK, "getting the table returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    if (SUCCEEDED(IMAPITable_QueryRows( table, 100, 0, &rows )))
    {
        for (i = 0; i < rows->cRows && !unk; i++)
        {
            eid = row_prop( &rows->aRow[i], PR_ENTRYID );
            dn = row_prop( &rows->aRow[i], PR_DISPLAY_NAME_W );
            if (eid && (!name || (dn && !wcscmp( dn->Value.lpszW, name ))))
                unk = open_entry( store, eid->Value.bin.cb, eid->Value.bin.lpb, flags );
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
    ok( unk != NULL, "nothing named %s.\n", wine_dbgstr_w(name) );
    return unk;
}

static IMAPIFolder *open_subfolder( IMsgStore *store, IMAPIFolder *parent, const WCHAR *name )
{
    IMAPITable *table = NULL;
    HRESULT hr = IMAPIFolder_GetHierarchyTable( parent, MAPI_UNICODE, &table );
    return (IMAPIFolder *)open_first( store, hr, table, name, MAPI_MODIFY );
}

static IMessage *open_first_message( IMsgStore *store, IMAPIFolder *folder, ULONG flags )
{
    IMAPITable *table = NULL;
    HRESULT hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table );
    return (IMessage *)open_first( store, hr, table, NULL, flags );
}

static IMAPIFolder *open_ipm_subtree( IMsgStore *store )
{
    IMAPIFolder *folder = NULL;
    SPropValue *prop;

    if (FAILED(get_prop( (IMAPIProp *)store, PR_IPM_SUBTREE_ENTRYID, &prop ))) return NULL;
    folder = (IMAPIFolder *)open_entry( store, prop->Value.bin.cb, prop->Value.bin.lpb, MAPI_MODIFY );
    pMAPIFreeBuffer( prop );
    return folder;
}

static IMAPIFolder *create_folder( IMAPIFolder *parent, const WCHAR *name )
{
    IMAPIFolder *folder = NULL;
    HRESULT hr;

    hr = IMAPIFolder_CreateFolder( parent, FOLDER_GENERIC, (char *)name, NULL, NULL, MAPI_UNICODE,
                                   (IMAPIFolder *)&folder );
    ok( hr == S_OK, "CreateFolder %s returned %#lx.\n", wine_dbgstr_w(name), hr );
    return folder;
}

static IMessage *create_message( IMAPIFolder *folder )
{
    IMessage *message = NULL;
    HRESULT hr;

    hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
    ok( hr == S_OK, "CreateMessage returned %#lx.\n", hr );
    return message;
}

static void save_entryid( IMAPIProp *obj, BYTE *buffer, ULONG *size )
{
    SPropValue *prop;

    *size = 0;
    if (FAILED(get_prop( obj, PR_ENTRYID, &prop ))) return;
    if (prop->Value.bin.cb <= 64)
    {
        memcpy( buffer, prop->Value.bin.lpb, prop->Value.bin.cb );
        *size = prop->Value.bin.cb;
    }
    pMAPIFreeBuffer( prop );
}

/* The embedded message of the first attachment of message. */
static IMessage *open_embedded( IMessage *message )
{
    IMessage *embedded = NULL;
    IAttach *attach;
    HRESULT hr;

    hr = IMessage_OpenAttach( message, 0, NULL, 0, &attach );
    if (hr != S_OK)
    {
        /* attachment numbers are the provider's own: take the table's */
        static const SizedSPropTagArray(1, columns) = { 1, { PR_ATTACH_NUM } };
        IMAPITable *table;
        SRowSet *rows;

        attach = NULL;
        if (SUCCEEDED(IMessage_GetAttachmentTable( message, 0, &table )))
        {
            IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
            if (SUCCEEDED(IMAPITable_QueryRows( table, 1, 0, &rows )))
            {
                if (rows->cRows)
                    hr = IMessage_OpenAttach( message, rows->aRow[0].lpProps[0].Value.l, NULL, 0, &attach );
                free_rows( rows );
            }
            IMAPITable_Release( table );
        }
    }
    ok( attach != NULL, "OpenAttach returned %#lx.\n", hr );
    if (!attach) return NULL;
    hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_OBJ, &iid_message, 0, 0, (IUnknown **)&embedded );
    ok( hr == S_OK, "opening the embedded message returned %#lx.\n", hr );
    IAttach_Release( attach );
    return embedded;
}

static IAttach *open_first_attach( IMessage *message, ULONG flags )
{
    static const SizedSPropTagArray(1, columns) = { 1, { PR_ATTACH_NUM } };
    IAttach *attach = NULL;
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;

    hr = IMessage_GetAttachmentTable( message, 0, &table );
    ok( hr == S_OK, "GetAttachmentTable returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    if (SUCCEEDED(IMAPITable_QueryRows( table, 1, 0, &rows )))
    {
        if (rows->cRows)
        {
            hr = IMessage_OpenAttach( message, rows->aRow[0].lpProps[0].Value.l, NULL, flags, &attach );
            ok( hr == S_OK, "OpenAttach returned %#lx.\n", hr );
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
    return attach;
}

/* What a full copy of the sample message holds (readpst's values). */
#define check_full_copy(a) check_full_copy_( __LINE__, a )
static void check_full_copy_( unsigned int line, IMessage *copy )
{
    IMessage *embedded;

    check_string_( line, (IMAPIProp *)copy, PR_SUBJECT_W, src_subject );
    check_string_( line, (IMAPIProp *)copy, PR_BODY_W, src_body );
    ok_( __FILE__, line )( recipient_count( copy ) == 1, "wrong recipient count.\n" );
    ok_( __FILE__, line )( attachment_count( copy ) == 1, "wrong attachment count.\n" );
    if ((embedded = open_embedded( copy )))
    {
        check_string_( line, (IMAPIProp *)embedded, PR_SUBJECT_W, embedded_subject );
        check_string_( line, (IMAPIProp *)embedded, PR_BODY_W, embedded_body );
        ok_( __FILE__, line )( recipient_count( embedded ) == 1, "embedded recipients.\n" );
        IMessage_Release( embedded );
    }
}

static void check_recipient_name( IMessage *message, const WCHAR *name )
{
    static const SizedSPropTagArray(1, columns) = { 1, { PR_DISPLAY_NAME_W } };
    const SPropValue *prop;
    IMAPITable *table;
    SRowSet *rows;
    HRESULT hr;

    hr = IMessage_GetRecipientTable( message, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetRecipientTable returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        ok( rows->cRows == 1 && (prop = row_prop( &rows->aRow[0], PR_DISPLAY_NAME_W ))
            && !wcscmp( prop->Value.lpszW, name ), "wrong recipient.\n" );
        free_rows( rows );
    }
    IMAPITable_Release( table );
}

static BOOL same_binary( IMAPIProp *a, IMAPIProp *b, ULONG tag )
{
    SPropValue *va, *vb;
    BOOL ret = FALSE;

    if (FAILED(get_prop( a, tag, &va ))) return FALSE;
    if (SUCCEEDED(get_prop( b, tag, &vb )))
    {
        ret = va->Value.bin.cb == vb->Value.bin.cb && !memcmp( va->Value.bin.lpb, vb->Value.bin.lpb, va->Value.bin.cb );
        pMAPIFreeBuffer( vb );
    }
    pMAPIFreeBuffer( va );
    return ret;
}

static void check_problems( SPropProblemArray *problems )
{
    ULONG i;

    if (!problems) return;
    /* only what the destination computes itself may be refused */
    for (i = 0; i < problems->cProblem; i++)
        ok( problems->aProblem[i].scode == MAPI_E_COMPUTED, "problem %#lx with %#lx.\n",
            problems->aProblem[i].scode, problems->aProblem[i].ulPropTag );
    pMAPIFreeBuffer( problems );
}

#define BIG_SIZE (1536 * 1024)

/* A value bigger than GetProps hands out goes through the streams. */
static void test_big_value( IMAPIFolder *folder )
{
    static const SizedSPropTagArray(1, html) = { 1, { PR_HTML } };
    IMessage *src, *dest;
    IStream *stream;
    SPropValue *prop;
    STATSTG stat;
    ULONG count, i, done;
    BYTE *data;
    HRESULT hr;

    if (!(data = malloc( BIG_SIZE ))) return;
    for (i = 0; i < BIG_SIZE; i++) data[i] = (BYTE)(i * 7 + i / 4096);
    src = create_message( folder );
    dest = create_message( folder );
    if (!src || !dest) goto done;
    hr = IMessage_OpenProperty( src, PR_HTML, &iid_stream, STGM_WRITE, MAPI_CREATE | MAPI_MODIFY,
                                (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty returned %#lx.\n", hr );
    if (FAILED(hr)) goto done;
    hr = IStream_Write( stream, data, BIG_SIZE, &done );
    ok( hr == S_OK && done == BIG_SIZE, "Write returned %#lx, %lu.\n", hr, done );
    hr = IStream_Commit( stream, 0 );
    ok( hr == S_OK, "Commit returned %#lx.\n", hr );
    IStream_Release( stream );
    hr = IMessage_GetProps( src, (SPropTagArray *)&html, 0, &count, &prop );
    ok( hr == MAPI_W_ERRORS_RETURNED && prop->ulPropTag == PROP_TAG(PT_ERROR, PROP_ID(PR_HTML))
        && prop->Value.err == MAPI_E_NOT_ENOUGH_MEMORY, "GetProps returned %#lx, %#lx.\n", hr, prop->ulPropTag );
    if (SUCCEEDED(hr)) pMAPIFreeBuffer( prop );

    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
    hr = IMessage_OpenProperty( dest, PR_HTML, &iid_stream, 0, 0, (IUnknown **)&stream );
    ok( hr == S_OK, "OpenProperty of the copy returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        BYTE *copy = malloc( BIG_SIZE + 1 );

        hr = IStream_Stat( stream, &stat, STATFLAG_NONAME );
        ok( hr == S_OK && stat.cbSize.QuadPart == BIG_SIZE, "size %s.\n", wine_dbgstr_longlong(stat.cbSize.QuadPart) );
        if (copy)
        {
            hr = IStream_Read( stream, copy, BIG_SIZE + 1, &done );
            ok( hr == S_OK && done == BIG_SIZE && !memcmp( copy, data, BIG_SIZE ), "the copy differs.\n" );
            free( copy );
        }
        IStream_Release( stream );
    }
    hr = IMessage_SaveChanges( dest, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );

done:
    if (src) IMessage_Release( src );
    if (dest) IMessage_Release( dest );
    free( data );
}

static void test_message_errors( IMessage *src, IMessage *dest, IMessage *readonly )
{
    static const SizedSPropTagArray(1, subject) = { 1, { PR_SUBJECT_W } };
    static const SizedSPropTagArray(2, with_null) = { 2, { PR_SUBJECT_W, PR_NULL } };
    SPropTagArray empty = { 0 };
    SPropProblemArray *problems = (void *)0xdeadbeef;
    HRESULT hr;

    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, NULL, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyTo(NULL dest) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, NULL, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyTo(NULL iid) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( src, 0, NULL, &empty, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyTo(no excluded tags) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( src, 0, NULL, (SPropTagArray *)&with_null, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyTo(PR_NULL) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, dest, 0x100, NULL );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "CopyTo(0x100) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_folder, dest, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyTo(IMAPIFolder) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( src, 1, &iid_mapiprop, NULL, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyTo(IMAPIProp excluded) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( src, 1, &iid_unknown, NULL, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyTo(IUnknown excluded) returned %#lx.\n", hr );
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, src, 0, &problems );
    ok( hr == MAPI_E_NO_ACCESS, "CopyTo(itself) returned %#lx.\n", hr );
    ok( !problems, "problems %p on failure.\n", problems );
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, readonly, 0, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "CopyTo(read-only dest) returned %#lx.\n", hr );
    /* the sample is open read-only: nothing can move out of it */
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, dest, MAPI_MOVE, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "CopyTo(MAPI_MOVE) returned %#lx.\n", hr );
    /* MAPI's recursion guard: we would hand the copy to MAPI */
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, dest, MAPI_DECLINE_OK, NULL );
    ok( hr == MAPI_E_DECLINE_COPY, "CopyTo(MAPI_DECLINE_OK) returned %#lx.\n", hr );

    hr = IMessage_CopyProps( src, NULL, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyProps(NULL) returned %#lx.\n", hr );
    hr = IMessage_CopyProps( src, (SPropTagArray *)&with_null, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyProps(PR_NULL) returned %#lx.\n", hr );
    hr = IMessage_CopyProps( src, (SPropTagArray *)&subject, 0, NULL, &iid_message, NULL, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyProps(NULL dest) returned %#lx.\n", hr );
    hr = IMessage_CopyProps( src, (SPropTagArray *)&subject, 0, NULL, &iid_message, dest, 0x100, NULL );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "CopyProps(0x100) returned %#lx.\n", hr );
    hr = IMessage_CopyProps( src, (SPropTagArray *)&subject, 0, NULL, &iid_attach, dest, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyProps(IAttachment) returned %#lx.\n", hr );
    hr = IMessage_CopyProps( src, (SPropTagArray *)&subject, 0, NULL, &iid_message, src, 0, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "CopyProps(itself) returned %#lx.\n", hr );
    hr = IMessage_CopyProps( src, (SPropTagArray *)&subject, 0, NULL, &iid_message, dest, MAPI_MOVE, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "CopyProps(MAPI_MOVE) returned %#lx.\n", hr );
    /* nothing reached the destination */
    check_string( dest, PR_SUBJECT_W, NULL );
}

static void test_messages( IMsgStore *store, IMAPIFolder *ipm )
{
    static const SizedSPropTagArray(1, exclude_delivery) = { 1, { PR_MESSAGE_DELIVERY_TIME } };
    static const SizedSPropTagArray(2, exclude_children) = { 2, { PR_MESSAGE_RECIPIENTS, PR_MESSAGE_ATTACHMENTS } };
    static const SizedSPropTagArray(2, include) = { 2, { PR_SUBJECT_W, PR_MESSAGE_RECIPIENTS } };
    IMAPIFolder *folder, *copies;
    IMessage *src, *dest, *readonly, *moved;
    SPropProblemArray *problems;
    SPropValue *prop, value;
    HRESULT hr;

    if (!(folder = open_subfolder( store, ipm, L"submessage" ))) return;
    src = open_first_message( store, folder, 0 );
    readonly = open_first_message( store, folder, 0 );
    IMAPIFolder_Release( folder );
    if (!src || !readonly) return;
    check_string( src, PR_SUBJECT_W, src_subject );
    copies = create_folder( ipm, L"Copies" );
    if (!copies) return;

    dest = create_message( copies );
    test_message_errors( src, dest, readonly );

    /* a whole copy, without the delivery time */
    problems = (void *)0xdeadbeef;
    hr = IMessage_CopyTo( src, 0, NULL, (SPropTagArray *)&exclude_delivery, 0, NULL, &iid_message, dest, 0,
                          &problems );
    ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
    if (hr == S_OK) check_problems( problems );
    check_full_copy( dest );
    check_recipient_name( dest, src_recipient );
    ok( get_prop( (IMAPIProp *)src, PR_MESSAGE_DELIVERY_TIME, &prop ) == S_OK, "the source has no delivery time.\n" );
    pMAPIFreeBuffer( prop );
    ok( get_prop( (IMAPIProp *)dest, PR_MESSAGE_DELIVERY_TIME, &prop ) == MAPI_E_NOT_FOUND, "delivery time copied.\n" );
    /* pypff: PR_HTML is 1653 bytes */
    ok( get_prop( (IMAPIProp *)dest, PR_HTML, &prop ) == S_OK && prop->Value.bin.cb == 1653, "PR_HTML size.\n" );
    pMAPIFreeBuffer( prop );
    ok( same_binary( (IMAPIProp *)src, (IMAPIProp *)dest, PR_HTML ), "PR_HTML differs.\n" );
    ok( same_binary( (IMAPIProp *)src, (IMAPIProp *)dest, PR_SEARCH_KEY ), "PR_SEARCH_KEY differs.\n" );
    /* the copy is the destination's own transaction: nothing is in the folder yet */
    ok( content_count( copies ) == 0, "the copy was saved.\n" );
    hr = IMessage_SaveChanges( dest, KEEP_OPEN_READONLY );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    ok( content_count( copies ) == 1, "the copy is not in the folder.\n" );
    save_entryid( (IMAPIProp *)dest, copy_entryid, &copy_entryid_size );
    /* the source is untouched */
    ok( recipient_count( src ) == 1 && attachment_count( src ) == 1, "the source changed.\n" );
    IMessage_Release( dest );

    /* no recipients, no attachments */
    dest = create_message( copies );
    hr = IMessage_CopyTo( src, 0, NULL, (SPropTagArray *)&exclude_children, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
    check_string( dest, PR_SUBJECT_W, src_subject );
    ok( recipient_count( dest ) == 0, "recipients copied.\n" );
    ok( attachment_count( dest ) == 0, "attachments copied.\n" );
    /* excluding IAttachment also keeps the attachments out */
    IMessage_Release( dest );
    dest = create_message( copies );
    hr = IMessage_CopyTo( src, 1, &iid_attach, NULL, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
    ok( recipient_count( dest ) == 1, "recipients not copied.\n" );
    ok( attachment_count( dest ) == 0, "attachments copied.\n" );
    IMessage_Release( dest );

    /* through IMAPIProp: the values alone */
    dest = create_message( copies );
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_mapiprop, dest, 0, NULL );
    ok( hr == S_OK, "CopyTo(IMAPIProp) returned %#lx.\n", hr );
    check_string( dest, PR_SUBJECT_W, src_subject );
    ok( recipient_count( dest ) == 0, "recipients copied.\n" );
    ok( attachment_count( dest ) == 0, "attachments copied.\n" );
    IMessage_Release( dest );

    /* MAPI_NOREPLACE keeps what the destination has */
    dest = create_message( copies );
    value.ulPropTag = PR_SUBJECT_W;
    value.Value.lpszW = (WCHAR *)L"Kept";
    hr = IMessage_SetProps( dest, 1, &value, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, dest, MAPI_NOREPLACE, NULL );
    ok( hr == S_OK, "CopyTo(MAPI_NOREPLACE) returned %#lx.\n", hr );
    check_string( dest, PR_SUBJECT_W, L"Kept" );
    check_string( dest, PR_BODY_W, src_body );
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
    check_string( dest, PR_SUBJECT_W, src_subject );
    IMessage_Release( dest );

    /* CopyProps: only what the list names */
    dest = create_message( copies );
    hr = IMessage_CopyProps( src, (SPropTagArray *)&include, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == S_OK, "CopyProps returned %#lx.\n", hr );
    check_string( dest, PR_SUBJECT_W, src_subject );
    check_string( dest, PR_BODY_W, NULL );
    check_recipient_name( dest, src_recipient );
    ok( attachment_count( dest ) == 0, "attachments copied.\n" );
    IMessage_Release( dest );

    /* MAPI_MOVE takes the values out of a writable source; both are saved by their owners */
    moved = (IMessage *)open_entry( store, copy_entryid_size, copy_entryid, MAPI_MODIFY );
    dest = create_message( copies );
    if (moved && dest)
    {
        hr = IMessage_CopyTo( moved, 0, NULL, NULL, 0, NULL, &iid_message, dest, MAPI_MOVE, NULL );
        ok( hr == S_OK, "CopyTo(MAPI_MOVE) returned %#lx.\n", hr );
        check_full_copy( dest );
        check_string( moved, PR_SUBJECT_W, NULL );
        ok( recipient_count( moved ) == 0, "the recipients stayed.\n" );
        ok( attachment_count( moved ) == 0, "the attachments stayed.\n" );
        hr = IMessage_SaveChanges( dest, KEEP_OPEN_READONLY );
        ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
        save_entryid( (IMAPIProp *)dest, copy_entryid, &copy_entryid_size );
        /* the emptied source is not saved: it keeps its values on disk */
    }
    if (dest) IMessage_Release( dest );
    if (moved) IMessage_Release( moved );
    ok( content_count( copies ) == 2, "%lu messages in the folder.\n", content_count( copies ) );

    /* MAPI_DIALOG: there is no user interface; the copy runs all the same */
    dest = create_message( copies );
    hr = IMessage_CopyProps( src, (SPropTagArray *)&include, 0, NULL, &iid_message, dest, MAPI_DIALOG, NULL );
    ok( hr == S_OK, "CopyProps(MAPI_DIALOG) returned %#lx.\n", hr );
    check_string( dest, PR_SUBJECT_W, src_subject );
    IMessage_Release( dest );

    test_big_value( copies );

    IMAPIFolder_Release( copies );
    IMessage_Release( readonly );
    IMessage_Release( src );
}

static void test_attachments( IMsgStore *store, IMAPIFolder *ipm )
{
    static const SizedSPropTagArray(1, include) = { 1, { PR_DISPLAY_NAME_W } };
    IMessage *src, *dest, *embedded;
    IAttach *src_attach, *dest_attach, *other;
    IMAPIFolder *folder;
    SPropValue *prop;
    ULONG num;
    HRESULT hr;

    if (!(folder = open_subfolder( store, ipm, L"submessage" ))) return;
    src = open_first_message( store, folder, 0 );
    dest = create_message( folder );
    IMAPIFolder_Release( folder );
    if (!src || !dest) return;
    src_attach = open_first_attach( src, 0 );
    hr = IMessage_CreateAttach( dest, NULL, 0, &num, &dest_attach );
    ok( hr == S_OK, "CreateAttach returned %#lx.\n", hr );
    if (!src_attach || FAILED(hr)) return;

    hr = IAttach_CopyTo( src_attach, 0, NULL, NULL, 0, NULL, &iid_message, dest_attach, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyTo(IMessage) returned %#lx.\n", hr );
    hr = IAttach_CopyTo( src_attach, 0, NULL, NULL, 0, NULL, &iid_attach, src_attach, 0, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "CopyTo(itself) returned %#lx.\n", hr );
    hr = IAttach_CopyTo( src_attach, 0, NULL, NULL, 0, NULL, &iid_attach, dest_attach, MAPI_MOVE, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "CopyTo(MAPI_MOVE) returned %#lx.\n", hr );
    hr = IAttach_CopyTo( src_attach, 0, NULL, NULL, 0, NULL, &iid_attach, dest_attach, 0x100, NULL );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "CopyTo(0x100) returned %#lx.\n", hr );

    hr = IAttach_CopyTo( src_attach, 0, NULL, NULL, 0, NULL, &iid_attach, dest_attach, 0, NULL );
    ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
    ok( get_prop( (IMAPIProp *)dest_attach, PR_ATTACH_METHOD, &prop ) == S_OK
        && prop->Value.l == ATTACH_EMBEDDED_MSG, "not an embedded message.\n" );
    pMAPIFreeBuffer( prop );
    check_string( dest_attach, PR_DISPLAY_NAME_W, embedded_subject );
    hr = IAttach_OpenProperty( dest_attach, PR_ATTACH_DATA_OBJ, &iid_message, 0, 0, (IUnknown **)&embedded );
    ok( hr == S_OK, "opening the embedded copy returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        check_string( embedded, PR_SUBJECT_W, embedded_subject );
        check_string( embedded, PR_BODY_W, embedded_body );
        check_recipient_name( embedded, src_recipient );
        IMessage_Release( embedded );
    }
    /* excluding IMessage leaves the embedded message behind */
    hr = IMessage_CreateAttach( dest, NULL, 0, &num, &other );
    ok( hr == S_OK, "CreateAttach returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        hr = IAttach_CopyTo( src_attach, 1, &iid_message, NULL, 0, NULL, &iid_attach, other, 0, NULL );
        ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
        hr = IAttach_OpenProperty( other, PR_ATTACH_DATA_OBJ, &iid_message, 0, 0, (IUnknown **)&embedded );
        ok( hr == MAPI_E_NOT_FOUND, "the embedded message was copied: %#lx.\n", hr );
        if (SUCCEEDED(hr)) IMessage_Release( embedded );
        IAttach_Release( other );
    }
    /* CopyProps: the name only */
    hr = IMessage_CreateAttach( dest, NULL, 0, &num, &other );
    ok( hr == S_OK, "CreateAttach returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        hr = IAttach_CopyProps( src_attach, (SPropTagArray *)&include, 0, NULL, &iid_attach, other, 0, NULL );
        ok( hr == S_OK, "CopyProps returned %#lx.\n", hr );
        check_string( other, PR_DISPLAY_NAME_W, embedded_subject );
        ok( get_prop( (IMAPIProp *)other, PR_ATTACH_METHOD, &prop ) == MAPI_E_NOT_FOUND, "method copied.\n" );
        pMAPIFreeBuffer( prop );
        IAttach_Release( other );
    }
    /* the attachment reaches the message at its SaveChanges */
    ok( attachment_count( dest ) == 0, "the attachment was saved.\n" );
    hr = IAttach_SaveChanges( dest_attach, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    ok( attachment_count( dest ) == 1, "the attachment is not in the message.\n" );
    if ((embedded = open_embedded( dest )))
    {
        check_string( embedded, PR_SUBJECT_W, embedded_subject );
        IMessage_Release( embedded );
    }
    IAttach_Release( dest_attach );
    IAttach_Release( src_attach );
    IMessage_Release( dest );
    IMessage_Release( src );
}

/* Copy a saved copy of the sample into folder. */
static void put_message( IMAPIFolder *folder, IMessage *src )
{
    IMessage *dest = create_message( folder );
    HRESULT hr;

    if (!dest) return;
    hr = IMessage_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( dest, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    IMessage_Release( dest );
}

static void test_folders( IMsgStore *store, IMAPIFolder *ipm )
{
    static const SizedSPropTagArray(1, exclude_name) = { 1, { PR_DISPLAY_NAME_W } };
    static const SizedSPropTagArray(2, exclude_hierarchy) = { 2, { PR_DISPLAY_NAME_W, PR_CONTAINER_HIERARCHY } };
    static const SizedSPropTagArray(2, include) = { 2, { PR_COMMENT_W, PR_CONTAINER_CONTENTS } };
    static const SizedSPropTagArray(1, include_hierarchy) = { 1, { PR_CONTAINER_HIERARCHY } };
    IMAPIFolder *folder, *tree, *sub, *dests, *dest, *copy_sub, *tree2;
    SPropValue value;
    IMessage *fai;
    IMessage *src;
    HRESULT hr;

    if (!(folder = open_subfolder( store, ipm, L"submessage" ))) return;
    src = open_first_message( store, folder, 0 );
    IMAPIFolder_Release( folder );
    if (!src) return;

    /* Tree (a message, a comment) / Sub (a message) */
    tree = create_folder( ipm, L"Tree" );
    sub = tree ? create_folder( tree, L"Sub" ) : NULL;
    dests = create_folder( ipm, L"Dests" );
    if (!tree || !sub || !dests) return;
    put_message( tree, src );
    put_message( sub, src );
    IMAPIFolder_Release( sub );
    sub = open_subfolder( store, tree, L"Sub" );
    if (!sub) return;
    /* and a folder-associated message */
    hr = IMAPIFolder_CreateMessage( tree, NULL, MAPI_ASSOCIATED, &fai );
    ok( hr == S_OK, "CreateMessage(MAPI_ASSOCIATED) returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        value.ulPropTag = PR_SUBJECT_W;
        value.Value.lpszW = (WCHAR *)L"a hidden message";
        IMessage_SetProps( fai, 1, &value, NULL );
        hr = IMessage_SaveChanges( fai, 0 );
        ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
        IMessage_Release( fai );
    }
    ok( assoc_count( tree ) == 1, "%lu associated messages.\n", assoc_count( tree ) );
    value.ulPropTag = PR_COMMENT_W;
    value.Value.lpszW = (WCHAR *)L"a tree to copy";
    hr = IMAPIFolder_SetProps( tree, 1, &value, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );

    /* errors */
    dest = create_folder( dests, L"Errors" );
    hr = IMAPIFolder_CopyTo( tree, 0, NULL, NULL, 0, NULL, &iid_folder, NULL, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyTo(NULL) returned %#lx.\n", hr );
    hr = IMAPIFolder_CopyTo( tree, 0, NULL, NULL, 0, NULL, NULL, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyTo(NULL iid) returned %#lx.\n", hr );
    hr = IMAPIFolder_CopyTo( tree, 0, NULL, NULL, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyTo(IMessage) returned %#lx.\n", hr );
    hr = IMAPIFolder_CopyTo( tree, 0, NULL, NULL, 0, NULL, &iid_folder, dest, 0x100, NULL );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "CopyTo(0x100) returned %#lx.\n", hr );
    hr = IMAPIFolder_CopyTo( tree, 0, NULL, NULL, 0, NULL, &iid_folder, tree, 0, NULL );
    ok( hr == MAPI_E_NO_ACCESS, "CopyTo(itself) returned %#lx.\n", hr );
    hr = IMAPIFolder_CopyTo( tree, 0, NULL, NULL, 0, NULL, &iid_folder, sub, 0, NULL );
    ok( hr == MAPI_E_FOLDER_CYCLE, "CopyTo(its subfolder) returned %#lx.\n", hr );
    hr = IMAPIFolder_CopyProps( tree, (SPropTagArray *)&include_hierarchy, 0, NULL, &iid_folder, sub, 0, NULL );
    ok( hr == MAPI_E_FOLDER_CYCLE, "CopyProps(its subfolder) returned %#lx.\n", hr );
    hr = IMAPIFolder_CopyProps( tree, NULL, 0, NULL, &iid_folder, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CopyProps(NULL) returned %#lx.\n", hr );
    ok( content_count( sub ) == 1 && subfolder_count( sub ) == 0, "the subfolder changed.\n" );
    IMAPIFolder_Release( sub );
    ok( content_count( dest ) == 0 && subfolder_count( dest ) == 0, "the destination changed.\n" );
    if (dest) IMAPIFolder_Release( dest );

    /* everything, the name too */
    if ((dest = create_folder( dests, L"Full" )))
    {
        hr = IMAPIFolder_CopyTo( tree, 0, NULL, NULL, 0, NULL, &iid_folder, dest, 0, NULL );
        ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
        check_string( dest, PR_DISPLAY_NAME_W, L"Tree" );
        check_string( dest, PR_COMMENT_W, L"a tree to copy" );
        ok( content_count( dest ) == 1, "%lu messages.\n", content_count( dest ) );
        ok( subfolder_count( dest ) == 1, "%lu subfolders.\n", subfolder_count( dest ) );
        ok( assoc_count( dest ) == 1, "%lu associated messages.\n", assoc_count( dest ) );
        if ((copy_sub = open_subfolder( store, dest, L"Sub" )))
        {
            ok( content_count( copy_sub ) == 1, "%lu messages in Sub.\n", content_count( copy_sub ) );
            IMAPIFolder_Release( copy_sub );
        }
        save_entryid( (IMAPIProp *)dest, tree_copy_entryid, &tree_copy_entryid_size );
        /* again: the subfolder's name is taken now (the messages come twice) */
        hr = IMAPIFolder_CopyTo( tree, 0, NULL, NULL, 0, NULL, &iid_folder, dest, 0, NULL );
        ok( hr == MAPI_E_COLLISION, "CopyTo again returned %#lx.\n", hr );
        ok( content_count( dest ) == 2, "%lu messages.\n", content_count( dest ) );
        ok( subfolder_count( dest ) == 1, "%lu subfolders.\n", subfolder_count( dest ) );
        IMAPIFolder_Release( dest );
    }
    /* the source is as it was */
    ok( content_count( tree ) == 1 && subfolder_count( tree ) == 1, "the source changed.\n" );

    /* no messages */
    if ((dest = create_folder( dests, L"NoMessages" )))
    {
        hr = IMAPIFolder_CopyTo( tree, 1, &iid_message, (SPropTagArray *)&exclude_name, 0, NULL, &iid_folder, dest,
                                 0, NULL );
        ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
        check_string( dest, PR_DISPLAY_NAME_W, L"NoMessages" );
        check_string( dest, PR_COMMENT_W, L"a tree to copy" );
        ok( content_count( dest ) == 0, "%lu messages.\n", content_count( dest ) );
        ok( assoc_count( dest ) == 0, "%lu associated messages.\n", assoc_count( dest ) );
        ok( subfolder_count( dest ) == 1, "%lu subfolders.\n", subfolder_count( dest ) );
        /* the subfolders come without their messages too */
        if ((copy_sub = open_subfolder( store, dest, L"Sub" )))
        {
            ok( content_count( copy_sub ) == 0, "%lu messages in Sub.\n", content_count( copy_sub ) );
            IMAPIFolder_Release( copy_sub );
        }
        IMAPIFolder_Release( dest );
    }
    /* no subfolders */
    if ((dest = create_folder( dests, L"NoFolders" )))
    {
        hr = IMAPIFolder_CopyTo( tree, 0, NULL, (SPropTagArray *)&exclude_hierarchy, 0, NULL, &iid_folder, dest,
                                 0, NULL );
        ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
        ok( content_count( dest ) == 1, "%lu messages.\n", content_count( dest ) );
        ok( subfolder_count( dest ) == 0, "%lu subfolders.\n", subfolder_count( dest ) );
        /* into its own subfolder is fine without the hierarchy */
        IMAPIFolder_Release( dest );
    }
    /* CopyProps: the comment and the messages */
    if ((dest = create_folder( dests, L"Props" )))
    {
        hr = IMAPIFolder_CopyProps( tree, (SPropTagArray *)&include, 0, NULL, &iid_folder, dest, 0, NULL );
        ok( hr == S_OK, "CopyProps returned %#lx.\n", hr );
        check_string( dest, PR_DISPLAY_NAME_W, L"Props" );
        check_string( dest, PR_COMMENT_W, L"a tree to copy" );
        ok( content_count( dest ) == 1, "%lu messages.\n", content_count( dest ) );
        ok( assoc_count( dest ) == 0, "%lu associated messages.\n", assoc_count( dest ) );
        ok( subfolder_count( dest ) == 0, "%lu subfolders.\n", subfolder_count( dest ) );
        IMAPIFolder_Release( dest );
    }
    /* MAPI_MOVE empties the source */
    tree2 = create_folder( ipm, L"Tree2" );
    if (tree2 && (dest = create_folder( dests, L"Moved" )))
    {
        put_message( tree2, src );
        if ((sub = create_folder( tree2, L"Sub2" ))) IMAPIFolder_Release( sub );
        hr = IMAPIFolder_CopyTo( tree2, 0, NULL, (SPropTagArray *)&exclude_name, 0, NULL, &iid_folder, dest,
                                 MAPI_MOVE, NULL );
        ok( hr == S_OK, "CopyTo(MAPI_MOVE) returned %#lx.\n", hr );
        ok( content_count( dest ) == 1 && subfolder_count( dest ) == 1, "nothing moved.\n" );
        ok( content_count( tree2 ) == 0 && subfolder_count( tree2 ) == 0, "the source kept %lu/%lu.\n",
            content_count( tree2 ), subfolder_count( tree2 ) );
        IMAPIFolder_Release( dest );
    }
    if (tree2) IMAPIFolder_Release( tree2 );

    IMAPIFolder_Release( dests );
    IMAPIFolder_Release( tree );
    IMessage_Release( src );
}

/* After a new logon, the copies are on disk. */
static void test_read_back( IMsgStore *store )
{
    IMAPIFolder *folder, *sub;
    IMessage *message;

    if (!copy_entryid_size || !tree_copy_entryid_size)
    {
        skip( "nothing was copied.\n" );
        return;
    }
    if ((message = (IMessage *)open_entry( store, copy_entryid_size, copy_entryid, 0 )))
    {
        check_full_copy( message );
        check_recipient_name( message, src_recipient );
        IMessage_Release( message );
    }
    if ((folder = (IMAPIFolder *)open_entry( store, tree_copy_entryid_size, tree_copy_entryid, 0 )))
    {
        check_string( folder, PR_DISPLAY_NAME_W, L"Tree" );
        check_string( folder, PR_COMMENT_W, L"a tree to copy" );
        /* copied twice */
        ok( content_count( folder ) == 2, "%lu messages.\n", content_count( folder ) );
        ok( assoc_count( folder ) == 2, "%lu associated messages.\n", assoc_count( folder ) );
        if ((message = open_first_message( store, folder, 0 )))
        {
            check_full_copy( message );
            IMessage_Release( message );
        }
        if ((sub = open_subfolder( store, folder, L"Sub" )))
        {
            ok( content_count( sub ) == 1, "%lu messages in Sub.\n", content_count( sub ) );
            IMAPIFolder_Release( sub );
        }
        IMAPIFolder_Release( folder );
    }
}

/* The subjects of a folder's messages, joined by '|' in table order, and
 * the attachment count of the first message of subject FIRST (or ~0). */
static void folder_subjects( IMsgStore *store, IMAPIFolder *folder, WCHAR *out, ULONG size, const WCHAR *first,
                             ULONG *attachments )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_SUBJECT_W, PR_ENTRYID } };
    const SPropValue *subject, *eid;
    IMAPITable *table;
    IMessage *message;
    SRowSet *rows;
    ULONG i;

    out[0] = 0;
    *attachments = ~0u;
    if (FAILED(IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table ))) return;
    IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    if (SUCCEEDED(IMAPITable_QueryRows( table, 100, 0, &rows )))
    {
        for (i = 0; i < rows->cRows; i++)
        {
            subject = row_prop( &rows->aRow[i], PR_SUBJECT_W );
            eid = row_prop( &rows->aRow[i], PR_ENTRYID );
            if (i) wcscat_s( out, size, L"|" );
            if (subject) wcscat_s( out, size, subject->Value.lpszW );
            if (subject && eid && !wcscmp( subject->Value.lpszW, first )
                && (message = (IMessage *)open_entry( store, eid->Value.bin.cb, eid->Value.bin.lpb, 0 )))
            {
                *attachments = attachment_count( message );
                IMessage_Release( message );
            }
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
}

/* javalibpst_dist-list.pst: an appointment with two embedded messages, a
 * contact and a distribution list (pypff: Calendar holds "Test appointment"
 * with 2 attachments; Contacts "test dist list" and "contact name 1"), and
 * IPM_COMMON_VIEWS under the root holds only associated messages. */
static void test_dist_list( IMsgStore *store, BOOL read_back )
{
    static const SizedSPropTagArray(1, exclude_name) = { 1, { PR_DISPLAY_NAME_W } };
    IMAPIFolder *ipm, *root, *copies, *src, *dest;
    WCHAR subjects[256], copied[256];
    ULONG attachments, copied_attachments;
    HRESULT hr;

    if (!(ipm = open_ipm_subtree( store ))) return;
    if (read_back)
    {
        if ((copies = open_subfolder( store, ipm, L"Copies" )))
        {
            if ((dest = open_subfolder( store, copies, L"Calendar" )))
            {
                folder_subjects( store, dest, copied, ARRAY_SIZE(copied), L"Test appointment", &attachments );
                ok( !wcscmp( copied, L"Test appointment" ), "subjects %s.\n", wine_dbgstr_w(copied) );
                ok( attachments == 2, "%lu attachments.\n", attachments );
                IMAPIFolder_Release( dest );
            }
            if ((dest = open_subfolder( store, copies, L"Contacts" )))
            {
                ok( content_count( dest ) == 2, "%lu contacts.\n", content_count( dest ) );
                IMAPIFolder_Release( dest );
            }
            IMAPIFolder_Release( copies );
        }
        IMAPIFolder_Release( ipm );
        return;
    }
    copies = create_folder( ipm, L"Copies" );

    if (copies && (src = open_subfolder( store, ipm, L"Calendar" )))
    {
        folder_subjects( store, src, subjects, ARRAY_SIZE(subjects), L"Test appointment", &attachments );
        ok( !wcscmp( subjects, L"Test appointment" ) && attachments == 2, "source %s, %lu.\n",
            wine_dbgstr_w(subjects), attachments );
        if ((dest = create_folder( copies, L"Cal" )))
        {
            hr = IMAPIFolder_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_folder, dest, 0, NULL );
            ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
            check_string( dest, PR_DISPLAY_NAME_W, L"Calendar" );
            folder_subjects( store, dest, copied, ARRAY_SIZE(copied), L"Test appointment", &copied_attachments );
            ok( !wcscmp( copied, subjects ), "copied %s.\n", wine_dbgstr_w(copied) );
            ok( copied_attachments == 2, "%lu attachments copied.\n", copied_attachments );
            IMAPIFolder_Release( dest );
        }
        IMAPIFolder_Release( src );
    }
    if (copies && (src = open_subfolder( store, ipm, L"Contacts" )))
    {
        if ((dest = create_folder( copies, L"Con" )))
        {
            hr = IMAPIFolder_CopyTo( src, 0, NULL, NULL, 0, NULL, &iid_folder, dest, 0, NULL );
            ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
            folder_subjects( store, dest, copied, ARRAY_SIZE(copied), L"", &attachments );
            ok( content_count( dest ) == 2, "%lu contacts.\n", content_count( dest ) );
            ok( wcsstr( copied, L"test dist list" ) && wcsstr( copied, L"contact name 1" ), "copied %s.\n",
                wine_dbgstr_w(copied) );
            IMAPIFolder_Release( dest );
        }
        IMAPIFolder_Release( src );
    }
    /* only associated messages */
    if (copies && (root = (IMAPIFolder *)open_entry( store, 0, NULL, 0 )))
    {
        if ((src = open_subfolder( store, root, L"IPM_COMMON_VIEWS" )))
        {
            ok( assoc_count( src ) > 0, "no associated messages.\n" );
            if ((dest = create_folder( copies, L"Views" )))
            {
                hr = IMAPIFolder_CopyTo( src, 0, NULL, (SPropTagArray *)&exclude_name, 0, NULL, &iid_folder, dest,
                                         0, NULL );
                ok( hr == S_OK, "CopyTo returned %#lx.\n", hr );
                ok( assoc_count( dest ) == assoc_count( src ), "%lu associated messages, %lu in the source.\n",
                    assoc_count( dest ), assoc_count( src ) );
                ok( content_count( dest ) == 0, "%lu messages.\n", content_count( dest ) );
                IMAPIFolder_Release( dest );
            }
            IMAPIFolder_Release( src );
        }
        IMAPIFolder_Release( root );
    }
    if (copies) IMAPIFolder_Release( copies );
    IMAPIFolder_Release( ipm );
}

static void test_after_logoff( IMessage *message, IMAPIFolder *folder, IMessage *dest )
{
    static const SizedSPropTagArray(1, subject) = { 1, { PR_SUBJECT_W } };
    HRESULT hr;

    hr = IMessage_CopyTo( message, 0, NULL, NULL, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_OBJECT, "CopyTo after logoff returned %#lx.\n", hr );
    hr = IMessage_CopyProps( message, (SPropTagArray *)&subject, 0, NULL, &iid_message, dest, 0, NULL );
    ok( hr == MAPI_E_INVALID_OBJECT, "CopyProps after logoff returned %#lx.\n", hr );
    hr = IMAPIFolder_CopyTo( folder, 0, NULL, NULL, 0, NULL, &iid_folder, folder, 0, NULL );
    ok( hr == MAPI_E_INVALID_OBJECT, "folder CopyTo after logoff returned %#lx.\n", hr );
}

START_TEST(pstcopy)
{
    IMessage *held = NULL, *held_dest = NULL;
    IMAPIFolder *ipm, *held_folder = NULL;
    IMAPISession *session;
    IMsgStore *store;
    HRESULT hr;

    if (!load_mapi32()) return;
    if (!copy_sample( "pstsdk_submessage.pst", pst_path, NULL ))
    {
        skip( "no sample PST.\n" );
        return;
    }
    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );

    if (create_profile() && (session = logon()))
    {
        if ((store = open_store( session )))
        {
            if ((ipm = open_ipm_subtree( store )))
            {
                test_messages( store, ipm );
                test_attachments( store, ipm );
                test_folders( store, ipm );
                held_folder = open_subfolder( store, ipm, L"submessage" );
                if (held_folder)
                {
                    held = open_first_message( store, held_folder, 0 );
                    held_dest = create_message( held_folder );
                }
                IMAPIFolder_Release( ipm );
            }
            IMsgStore_Release( store );
        }
        hr = IMAPISession_Logoff( session, 0, 0, 0 );
        ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
        IMAPISession_Release( session );
        if (held && held_dest && held_folder) test_after_logoff( held, held_folder, held_dest );
        if (held) IMessage_Release( held );
        if (held_dest) IMessage_Release( held_dest );
        if (held_folder) IMAPIFolder_Release( held_folder );

        if ((session = logon()))
        {
            if ((store = open_store( session )))
            {
                test_read_back( store );
                IMsgStore_Release( store );
            }
            IMAPISession_Logoff( session, 0, 0, 0 );
            IMAPISession_Release( session );
        }
    }
    DeleteFileW( pst_path );

    /* a store with more kinds of items */
    if (copy_sample( "javalibpst_dist-list.pst", pst_path, NULL ) && create_profile())
    {
        int phase;

        for (phase = 0; phase < 2; phase++)
        {
            if (!(session = logon())) break;
            if ((store = open_store( session )))
            {
                test_dist_list( store, phase == 1 );
                IMsgStore_Release( store );
            }
            IMAPISession_Logoff( session, 0, 0, 0 );
            IMAPISession_Release( session );
        }
    }
    pMAPIUninitialize();
    DeleteFileW( pst_path );
}
