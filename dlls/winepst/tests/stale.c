/*
 * winepst: attachments, embedded messages and streams opened before
 * commits made through the same logon (attach.c, message.c, stream.c)
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
 * A commit frees the blocks the new state no longer uses and the next
 * transaction may reuse their space, so objects opened before must reopen
 * their engine handles.  Expected values come from pffexport and pypff
 * (see attach.c), never from winepst itself.
 */

#include <stdarg.h>
#include <stdio.h>

#include "windef.h"
#include "winbase.h"

#include "winepst_test.h"
#include "wincrypt.h"

/* pffexport Attachments/1_leah_thumper.jpg of pstsdk_sample1.pst, SHA-1 by sha1sum */
static const BYTE jpeg_sha1[20] =
{
    0x5c, 0x81, 0x3c, 0xfb, 0x97, 0x2f, 0xce, 0x84, 0x44, 0x2a,
    0x9d, 0x65, 0x9f, 0x6f, 0x9c, 0xa3, 0x36, 0xea, 0x12, 0x9e
};
#define JPEG_SIZE 93142
/* pypff: the attachment's subnode NID in both samples used here */
#define ATTACH_NID 0x8025
#define BIG_SIZE (300 * 1024)

static BOOL open_writable( const WCHAR *path, struct wstore *ws )
{
    HRESULT hr = wstore_logon( path, MDB_WRITE, ws );

    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    return SUCCEEDED(hr);
}

static IMAPIFolder *open_ipm( IMsgStore *store )
{
    SPropTagArray tags = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    IMAPIFolder *folder = NULL;
    SPropValue *props;
    ULONG count, type;
    HRESULT hr;

    hr = IMsgStore_GetProps( store, &tags, 0, &count, &props );
    ok( hr == S_OK && props[0].ulPropTag == PR_IPM_SUBTREE_ENTRYID, "IPM subtree %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    hr = IMsgStore_OpenEntry( store, props[0].Value.bin.cb, (ENTRYID *)props[0].Value.bin.lpb, NULL, MAPI_MODIFY,
                              &type, (IUnknown **)&folder );
    ok( hr == S_OK, "OpenEntry of the IPM subtree returned %#lx.\n", hr );
    test_free_buffer( props );
    return folder;
}

static BYTE big_byte( ULONG i, ULONG seed )
{
    return (BYTE)(i * 13 + seed + (i >> 11));
}

/* Creates and saves a message with a BIG_SIZE attachment in FOLDER: its
 * SaveChanges commits, and its blocks take free space.  Returns its entry ID. */
static void save_big_message( IMAPIFolder *folder, ULONG seed, SBinary *entry, BYTE *entry_buffer )
{
    SPropTagArray tag = { 1, { PR_ENTRYID } };
    SPropValue prop, *props;
    IMessage *message;
    IAttach *attach;
    IStream *stream;
    BYTE *data;
    ULONG num, i, done, count;
    HRESULT hr;

    hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
    ok( hr == S_OK, "CreateMessage returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    prop.ulPropTag = PR_SUBJECT_W;
    prop.Value.lpszW = (WCHAR *)L"filler";
    hr = IMessage_SetProps( message, 1, &prop, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    hr = IMessage_CreateAttach( message, NULL, 0, &num, &attach );
    ok( hr == S_OK, "CreateAttach returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        prop.ulPropTag = PR_ATTACH_METHOD;
        prop.Value.l = ATTACH_BY_VALUE;
        hr = IAttach_SetProps( attach, 1, &prop, NULL );
        ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
        hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
                                   (IUnknown **)&stream );
        ok( hr == S_OK, "OpenProperty(MAPI_CREATE) returned %#lx.\n", hr );
        if (SUCCEEDED(hr))
        {
            data = malloc( BIG_SIZE );
            for (i = 0; i < BIG_SIZE; i++) data[i] = big_byte( i, seed );
            hr = IStream_Write( stream, data, BIG_SIZE, &done );
            ok( hr == S_OK && done == BIG_SIZE, "Write returned %#lx, %lu.\n", hr, done );
            hr = IStream_Commit( stream, 0 );
            ok( hr == S_OK, "Commit returned %#lx.\n", hr );
            IStream_Release( stream );
            free( data );
        }
        hr = IAttach_SaveChanges( attach, 0 );
        ok( hr == S_OK, "IAttach::SaveChanges returned %#lx.\n", hr );
        IAttach_Release( attach );
    }
    hr = IMessage_SaveChanges( message, KEEP_OPEN_READONLY );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    if (entry)
    {
        hr = IMessage_GetProps( message, &tag, 0, &count, &props );
        ok( hr == S_OK && props[0].Value.bin.cb <= 64, "GetProps(PR_ENTRYID) returned %#lx.\n", hr );
        if (hr == S_OK)
        {
            memcpy( entry_buffer, props[0].Value.bin.lpb, props[0].Value.bin.cb );
            entry->cb = props[0].Value.bin.cb;
            entry->lpb = entry_buffer;
            test_free_buffer( props );
        }
    }
    IMessage_Release( message );
}

static void delete_message( IMAPIFolder *folder, SBinary *entry )
{
    ENTRYLIST list = { 1, entry };
    HRESULT hr;

    hr = IMAPIFolder_DeleteMessages( folder, &list, 0, NULL, 0 );
    ok( hr == S_OK, "DeleteMessages returned %#lx.\n", hr );
}

/* Saves and deletes big messages: the space of the deleted ones is free
 * for the next transaction, so stale blocks get overwritten. */
static void churn( IMAPIFolder *folder )
{
    BYTE buffer[2][64];
    SBinary entry[2];
    ULONG i;

    for (i = 0; i < 2; i++)
    {
        save_big_message( folder, i, &entry[0], buffer[0] );
        save_big_message( folder, i + 7, &entry[1], buffer[1] );
        delete_message( folder, &entry[0] );
        save_big_message( folder, i + 3, NULL, NULL );
        delete_message( folder, &entry[1] );
    }
}

/* Rewrites MESSAGE whole (its recipients change): every block of the old
 * version, attachments included, is freed by the commit. */
static void rewrite_message( IMsgStore *store, const SBinary *entry )
{
    SPropValue props[2];
    IMessage *message;
    ADRLIST *list = NULL;
    ULONG type;
    HRESULT hr;

    hr = IMsgStore_OpenEntry( store, entry->cb, (ENTRYID *)entry->lpb, NULL, MAPI_MODIFY, &type,
                              (IUnknown **)&message );
    ok( hr == S_OK, "OpenEntry(MAPI_MODIFY) returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    test_allocate_buffer( CbNewADRLIST(1), (void **)&list );
    list->cEntries = 1;
    props[0].ulPropTag = PR_DISPLAY_NAME_W;
    props[0].Value.lpszW = (WCHAR *)L"Stale";
    props[1].ulPropTag = PR_RECIPIENT_TYPE;
    props[1].Value.l = MAPI_CC;
    list->aEntries[0].ulReserved1 = 0;
    list->aEntries[0].cValues = 2;
    list->aEntries[0].rgPropVals = props;
    hr = IMessage_ModifyRecipients( message, MODRECIP_ADD, list );
    ok( hr == S_OK, "ModifyRecipients returned %#lx.\n", hr );
    test_free_buffer( list );
    hr = IMessage_SaveChanges( message, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    IMessage_Release( message );
}

static BOOL sha1_matches( const BYTE *data, ULONG size )
{
    HCRYPTPROV prov;
    HCRYPTHASH hash;
    BYTE digest[20];
    DWORD len = sizeof(digest);

    if (!CryptAcquireContextW( &prov, NULL, NULL, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT ))
    {
        skip( "no crypto provider.\n" );
        return TRUE;
    }
    CryptCreateHash( prov, CALG_SHA1, 0, 0, &hash );
    CryptHashData( hash, data, size, 0 );
    CryptGetHashParam( hash, HP_HASHVAL, digest, &len, 0 );
    CryptDestroyHash( hash );
    CryptReleaseContext( prov, 0 );
    return !memcmp( digest, jpeg_sha1, sizeof(digest) );
}

static ULONG read_all( IStream *stream, BYTE *data, ULONG size )
{
    ULONG total, read;
    HRESULT hr;

    for (total = 0; total < size; total += read)
    {
        hr = IStream_Read( stream, data + total, min( 4093, size - total ), &read );
        ok( hr == S_OK, "Read at %lu returned %#lx.\n", total, hr );
        if (FAILED(hr) || !read) break;
    }
    return total;
}

static SBinary get_entryid( IMAPIProp *prop, BYTE *buffer )
{
    SPropTagArray tag = { 1, { PR_ENTRYID } };
    SBinary entry = { 0, buffer };
    SPropValue *props;
    ULONG count;
    HRESULT hr;

    hr = IMAPIProp_GetProps( prop, &tag, 0, &count, &props );
    ok( hr == S_OK && props[0].Value.bin.cb <= 64, "GetProps(PR_ENTRYID) returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        memcpy( buffer, props[0].Value.bin.lpb, props[0].Value.bin.cb );
        entry.cb = props[0].Value.bin.cb;
        test_free_buffer( props );
    }
    return entry;
}

static IMAPIFolder *parent_folder( IMsgStore *store, IMessage *message )
{
    SPropTagArray tag = { 1, { PR_PARENT_ENTRYID } };
    IMAPIFolder *folder = NULL;
    SPropValue *props;
    ULONG count, type;
    HRESULT hr;

    hr = IMessage_GetProps( message, &tag, 0, &count, &props );
    ok( hr == S_OK, "GetProps(PR_PARENT_ENTRYID) returned %#lx.\n", hr );
    if (hr != S_OK) return NULL;
    hr = IMsgStore_OpenEntry( store, props[0].Value.bin.cb, (ENTRYID *)props[0].Value.bin.lpb, NULL, MAPI_MODIFY,
                              &type, (IUnknown **)&folder );
    ok( hr == S_OK, "OpenEntry of the parent returned %#lx.\n", hr );
    test_free_buffer( props );
    return folder;
}

static void test_stream(void)
{
    SizedSPropTagArray(2, tags) = { 2, { PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME_W } };
    IStream *stream = NULL, *clone = NULL, *fresh;
    IMAPIFolder *ipm, *sample;
    IMessage *message, *view;
    BYTE *data, *again, entry_buffer[64];
    SPropValue *props;
    LARGE_INTEGER move;
    ULONG count, total, half = JPEG_SIZE / 2, type;
    IAttach *attach = NULL, *other;
    WCHAR path[MAX_PATH];
    struct wstore ws;
    SBinary entry;
    STATSTG stat;
    HRESULT hr;

    if (!copy_sample( "pstsdk_sample1.pst", path ))
    {
        skip( "sample1 is not available.\n" );
        return;
    }
    if (!open_writable( path, &ws )) return;
    ipm = open_ipm( ws.store );
    if (!(message = open_first_message( ws.store, L"Sample1" )))
    {
        IMAPIFolder_Release( ipm );
        wstore_logoff( &ws );
        return;
    }
    entry = get_entryid( (IMAPIProp *)message, entry_buffer );
    sample = parent_folder( ws.store, message );
    hr = IMessage_OpenAttach( message, ATTACH_NID, NULL, 0, &attach );
    ok( hr == S_OK, "OpenAttach returned %#lx.\n", hr );
    if (attach)
    {
        hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (IUnknown **)&stream );
        ok( hr == S_OK, "OpenProperty returned %#lx.\n", hr );
    }
    if (!stream) goto done;

    /* half before the commits, through the stream; a clone stays at 0 */
    data = malloc( JPEG_SIZE );
    again = malloc( JPEG_SIZE );
    total = read_all( stream, data, half );
    ok( total == half, "read %lu bytes.\n", total );
    hr = IStream_Clone( stream, &clone );
    ok( hr == S_OK, "Clone returned %#lx.\n", hr );
    move.QuadPart = 0;
    IStream_Seek( clone, move, STREAM_SEEK_SET, NULL );

    /* commits that free and reuse space, one of them rewriting the message
     * the stream comes from (its blocks are all freed) */
    churn( ipm );
    rewrite_message( ws.store, &entry );
    churn( ipm );

    /* the rest, then the whole through the clone and through a fresh stream */
    total += read_all( stream, data + total, JPEG_SIZE - total );
    ok( total == JPEG_SIZE, "read %lu bytes in all.\n", total );
    ok( sha1_matches( data, JPEG_SIZE ), "the bytes read across the commits differ.\n" );
    hr = IStream_Stat( stream, &stat, STATFLAG_NONAME );
    ok( hr == S_OK && stat.cbSize.QuadPart == JPEG_SIZE, "Stat returned %#lx.\n", hr );
    memset( again, 0, JPEG_SIZE );
    total = read_all( clone, again, JPEG_SIZE );
    ok( total == JPEG_SIZE && !memcmp( data, again, JPEG_SIZE ), "the clone read %lu other bytes.\n", total );
    hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (IUnknown **)&fresh );
    ok( hr == S_OK, "OpenProperty after the commits returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        memset( again, 0, JPEG_SIZE );
        total = read_all( fresh, again, JPEG_SIZE );
        ok( total == JPEG_SIZE && !memcmp( data, again, JPEG_SIZE ), "a fresh stream read %lu other bytes.\n",
            total );
        IStream_Release( fresh );
    }

    /* the attachment and the message opened before read the new state */
    hr = IAttach_GetProps( attach, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        ok( props[0].Value.l == ATTACH_NID, "num %#lx.\n", props[0].Value.l );
        ok( props[1].ulPropTag == PR_ATTACH_LONG_FILENAME_W && !wcscmp( props[1].Value.lpszW, L"leah_thumper.jpg" ),
            "name %s.\n", wine_dbgstr_w(props[1].Value.lpszW) );
        test_free_buffer( props );
    }

    /* a moved message keeps its attachments */
    if (sample)
    {
        ENTRYLIST list = { 1, &entry };

        hr = IMAPIFolder_CopyMessages( sample, &list, NULL, ipm, 0, NULL, MESSAGE_MOVE );
        ok( hr == S_OK, "moving returned %#lx.\n", hr );
        hr = IAttach_GetProps( attach, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK, "GetProps after the move returned %#lx.\n", hr );
        if (SUCCEEDED(hr)) test_free_buffer( props );
        move.QuadPart = 0;
        IStream_Seek( stream, move, STREAM_SEEK_SET, NULL );
        total = read_all( stream, again, JPEG_SIZE );
        ok( total == JPEG_SIZE && sha1_matches( again, total ), "read %lu other bytes after the move.\n", total );
    }

    /* deleted: the children answer MAPI_E_OBJECT_DELETED / STG_E_REVERTED */
    hr = IMsgStore_OpenEntry( ws.store, entry.cb, (ENTRYID *)entry.lpb, NULL, 0, &type, (IUnknown **)&view );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    delete_message( ipm, &entry );
    hr = IAttach_GetProps( attach, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ok( hr == MAPI_E_OBJECT_DELETED, "GetProps of a deleted attachment returned %#lx.\n", hr );
    hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (IUnknown **)&fresh );
    ok( hr == MAPI_E_OBJECT_DELETED, "OpenProperty of a deleted attachment returned %#lx.\n", hr );
    hr = IStream_Read( stream, again, 16, &count );
    ok( hr == STG_E_REVERTED, "Read of a deleted value returned %#lx.\n", hr );
    hr = IStream_Stat( clone, &stat, STATFLAG_NONAME );
    ok( hr == STG_E_REVERTED, "Stat of the clone returned %#lx.\n", hr );
    if (view)
    {
        hr = IMessage_GetProps( view, (SPropTagArray *)&tags, 0, &count, &props );
        ok( hr == MAPI_E_OBJECT_DELETED, "GetProps of a deleted message returned %#lx.\n", hr );
        hr = IMessage_OpenAttach( view, ATTACH_NID, NULL, 0, &other );
        ok( hr == MAPI_E_OBJECT_DELETED, "OpenAttach of a deleted message returned %#lx.\n", hr );
        IMessage_Release( view );
    }
    /* they still die at logoff */
    wstore_logoff( &ws );
    hr = IAttach_GetProps( attach, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps after logoff returned %#lx.\n", hr );
    hr = IStream_Read( stream, again, 16, &count );
    ok( hr == STG_E_REVERTED, "Read after logoff returned %#lx.\n", hr );
    ok( !IStream_Release( clone ), "clone still referenced.\n" );
    ok( !IStream_Release( stream ), "stream still referenced.\n" );
    ok( !IAttach_Release( attach ), "attachment still referenced.\n" );
    ok( !IMessage_Release( message ), "message still referenced.\n" );
    if (sample) IMAPIFolder_Release( sample );
    IMAPIFolder_Release( ipm );
    free( data );
    free( again );
    DeleteFileW( path );
    return;

done:
    if (attach) IAttach_Release( attach );
    if (sample) IMAPIFolder_Release( sample );
    IMessage_Release( message );
    IMAPIFolder_Release( ipm );
    wstore_logoff( &ws );
    DeleteFileW( path );
}

static void check_embedded( IMessage *embedded, const char *when )
{
    SizedSPropTagArray(3, tags) = { 3, { PR_SUBJECT_W, PR_BODY_W, PR_MESSAGE_SIZE } };
    IMAPITable *table;
    SPropValue *props;
    ULONG count;
    HRESULT hr;

    winetest_push_context( "%s", when );
    hr = IMessage_GetProps( embedded, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        /* pffexport Attachment00001/Message00001/OutlookHeaders.txt and Message.txt */
        ok( props[0].ulPropTag == PR_SUBJECT_W && !wcscmp( props[0].Value.lpszW, L"This is an embedded message" ),
            "subject %s.\n", wine_dbgstr_w(props[0].Value.lpszW) );
        ok( props[1].ulPropTag == PR_BODY_W
            && !wcscmp( props[1].Value.lpszW, L"This is the body of an embedded message\r\n\r\n" ),
            "body %s.\n", wine_dbgstr_w(props[1].Value.lpszW) );
        ok( props[2].ulPropTag == PR_MESSAGE_SIZE, "size %#lx.\n", props[2].ulPropTag );
        test_free_buffer( props );
    }
    hr = IMessage_GetRecipientTable( embedded, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetRecipientTable returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        hr = IMAPITable_GetRowCount( table, 0, &count );
        ok( hr == S_OK && count == 1, "GetRowCount returned %#lx, %lu.\n", hr, count );
        IMAPITable_Release( table );
    }
    winetest_pop_context();
}

static void test_embedded(void)
{
    SizedSPropTagArray(1, tags) = { 1, { PR_SUBJECT_W } };
    IMessage *message, *embedded = NULL;
    BYTE entry_buffer[64];
    IAttach *attach = NULL;
    IMAPIFolder *ipm, *folder;
    IMAPITable *table;
    WCHAR path[MAX_PATH];
    SPropValue *props;
    struct wstore ws;
    SBinary entry;
    ULONG count;
    HRESULT hr;

    if (!copy_sample( "pstsdk_submessage.pst", path ))
    {
        skip( "submessage is not available.\n" );
        return;
    }
    if (!open_writable( path, &ws )) return;
    ipm = open_ipm( ws.store );
    if (!(message = open_first_message( ws.store, L"submessage" )))
    {
        IMAPIFolder_Release( ipm );
        wstore_logoff( &ws );
        return;
    }
    entry = get_entryid( (IMAPIProp *)message, entry_buffer );
    folder = parent_folder( ws.store, message );
    hr = IMessage_OpenAttach( message, ATTACH_NID, NULL, 0, &attach );
    ok( hr == S_OK, "OpenAttach returned %#lx.\n", hr );
    if (attach)
    {
        hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (IUnknown **)&embedded );
        ok( hr == S_OK, "OpenProperty(PR_ATTACH_DATA_OBJ) returned %#lx.\n", hr );
        IAttach_Release( attach );
    }
    /* the embedded message outlives its attachment and message */
    IMessage_Release( message );
    if (!embedded) goto done;
    check_embedded( embedded, "before" );

    churn( ipm );
    rewrite_message( ws.store, &entry );
    churn( ipm );
    check_embedded( embedded, "after" );

    if (folder) delete_message( folder, &entry );
    hr = IMessage_GetProps( embedded, (SPropTagArray *)&tags, MAPI_UNICODE, &count, &props );
    ok( hr == MAPI_E_OBJECT_DELETED, "GetProps of a deleted embedded message returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) test_free_buffer( props );
    table = NULL;
    hr = IMessage_GetAttachmentTable( embedded, 0, &table );
    ok( hr == MAPI_E_OBJECT_DELETED, "GetAttachmentTable returned %#lx.\n", hr );
    if (table) IMAPITable_Release( table );
    ok( !IMessage_Release( embedded ), "embedded message still referenced.\n" );
done:
    if (folder) IMAPIFolder_Release( folder );
    IMAPIFolder_Release( ipm );
    wstore_logoff( &ws );
    DeleteFileW( path );
}

START_TEST(stale)
{
    if (!init_winepst()) return;
    if (!getenv( "WINEMAPIX_TEST_DATA" ))
    {
        skip( "no sample PST files: set WINEMAPIX_TEST_DATA\n" );
        return;
    }
    test_stream();
    test_embedded();
    ok( live_blocks == 0, "%ld buffers leaked.\n", live_blocks );
    ok( pDllCanUnloadNow() == S_OK, "objects are alive after the test.\n" );
    /* the recorded calls are not what these tests are about */
    if (0) check_log( "" );
}
