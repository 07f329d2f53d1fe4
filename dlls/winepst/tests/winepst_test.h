/*
 * Shared code of winepst's tests: MAPI's side of a provider, written here
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
 * The provider is driven the way MAPI drives it, through a support object
 * written here that records every call.  Like MAPI, the support object
 * keeps no reference of its own: the provider's is the only one, and its
 * final release is where "MAPI" calls IMSLogon::Logoff and ::Release
 * (shared/spec/mapi-logoff.md R2.3, R4.8, R4.10).
 *
 * Each test file includes this header once; only provider.c instantiates
 * the interface IDs (initguid.h), the others see declarations.
 */

#include <stdarg.h>
#include <stdio.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "mapidefs.h"
#include "mapix.h"
#include "mapiutil.h"
#include "mapiguid.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"

#define PR_PST_PATH_W  PROP_TAG(PT_UNICODE, 0x6700)
#define PR_PST_PATH    PROP_TAG(PT_STRING8, 0x6700)

static MSPROVIDERINIT *pMSProviderInit;
static HRESULT (WINAPI *pDllCanUnloadNow)(void);

/* ------------------------------------------------------------------ */
/* allocators handed to MSProviderInit, counting live buffers          */

struct test_block
{
    struct test_block *next;     /* chain of AllocateMore blocks */
    DWORD magic;
    double payload[1];
};

#define TEST_BLOCK_MAGIC 0x7e57b10c
static LONG live_blocks;

static SCODE WINAPI test_allocate_buffer( ULONG size, void **out )
{
    struct test_block *block = calloc( 1, FIELD_OFFSET(struct test_block, payload) + size );

    if (!block) return MAPI_E_NOT_ENOUGH_MEMORY;
    block->magic = TEST_BLOCK_MAGIC;
    InterlockedIncrement( &live_blocks );
    *out = block->payload;
    return S_OK;
}

static struct test_block *block_from_ptr( void *ptr )
{
    return CONTAINING_RECORD( ptr, struct test_block, payload );
}

static SCODE WINAPI test_allocate_more( ULONG size, void *parent, void **out )
{
    struct test_block *head = block_from_ptr( parent ), *block;

    ok( head->magic == TEST_BLOCK_MAGIC, "AllocateMore with a foreign parent.\n" );
    if (!(block = calloc( 1, FIELD_OFFSET(struct test_block, payload) + size ))) return MAPI_E_NOT_ENOUGH_MEMORY;
    block->magic = TEST_BLOCK_MAGIC;
    block->next = head->next;
    head->next = block;
    InterlockedIncrement( &live_blocks );
    *out = block->payload;
    return S_OK;
}

static ULONG WINAPI test_free_buffer( void *ptr )
{
    struct test_block *block, *next;

    if (!ptr) return 0;
    block = block_from_ptr( ptr );
    ok( block->magic == TEST_BLOCK_MAGIC, "FreeBuffer of a foreign pointer.\n" );
    for (; block; block = next)
    {
        next = block->next;
        block->magic = 0;
        free( block );
        InterlockedDecrement( &live_blocks );
    }
    return 0;
}

/* Allocation faults: fault_allocate_buffer / fault_allocate_more count every
 * call in fault_alloc_calls and fail call number fault_alloc_fail (1-based,
 * 0 = never) with MAPI_E_NOT_ENOUGH_MEMORY, counting it in
 * fault_alloc_failed.  create_fault_provider hands them to MSProviderInit,
 * so only the provider's allocations fail, never the test support
 * object's own. */
static LONG fault_alloc_calls, fault_alloc_fail, fault_alloc_failed;

static inline BOOL fault_alloc_hit(void)
{
    if (InterlockedIncrement( &fault_alloc_calls ) != fault_alloc_fail || !fault_alloc_fail) return FALSE;
    InterlockedIncrement( &fault_alloc_failed );
    return TRUE;
}

static inline SCODE WINAPI fault_allocate_buffer( ULONG size, void **out )
{
    if (fault_alloc_hit()) return MAPI_E_NOT_ENOUGH_MEMORY;
    return test_allocate_buffer( size, out );
}

static inline SCODE WINAPI fault_allocate_more( ULONG size, void *parent, void **out )
{
    if (fault_alloc_hit()) return MAPI_E_NOT_ENOUGH_MEMORY;
    return test_allocate_more( size, parent, out );
}

/* ------------------------------------------------------------------ */
/* a log of the calls the provider makes into "MAPI"                   */

/* Replaces the import of FUNC from DLL in MODULE; returns the old target. */
static inline void *patch_import( HMODULE module, const char *dll, const char *func, void *target )
{
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)((BYTE *)module + ((IMAGE_DOS_HEADER *)module)->e_lfanew);
    IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    IMAGE_IMPORT_DESCRIPTOR *desc = (IMAGE_IMPORT_DESCRIPTOR *)((BYTE *)module + dir->VirtualAddress);

    for (; dir->VirtualAddress && desc->Name; desc++)
    {
        IMAGE_THUNK_DATA *names, *slots;

        if (_stricmp( (char *)module + desc->Name, dll )) continue;
        names = (IMAGE_THUNK_DATA *)((BYTE *)module + desc->OriginalFirstThunk);
        slots = (IMAGE_THUNK_DATA *)((BYTE *)module + desc->FirstThunk);
        for (; names->u1.AddressOfData; names++, slots++)
        {
            IMAGE_IMPORT_BY_NAME *name;
            DWORD protect;
            void *old;

            if (IMAGE_SNAP_BY_ORDINAL( names->u1.Ordinal )) continue;
            name = (IMAGE_IMPORT_BY_NAME *)((BYTE *)module + names->u1.AddressOfData);
            if (strcmp( (char *)name->Name, func )) continue;
            old = (void *)slots->u1.Function;
            VirtualProtect( &slots->u1.Function, sizeof(void *), PAGE_READWRITE, &protect );
            slots->u1.Function = (ULONG_PTR)target;
            VirtualProtect( &slots->u1.Function, sizeof(void *), protect, &protect );
            return old;
        }
    }
    return NULL;
}

static char call_log[4096];

static void __WINE_PRINTF_ATTR(1,2) log_call( const char *format, ... )
{
    size_t len = strlen( call_log );
    va_list args;

    va_start( args, format );
    vsnprintf( call_log + len, sizeof(call_log) - len, format, args );
    va_end( args );
}

#define check_log(expected) check_log_( __LINE__, expected )
static void check_log_( unsigned int line, const char *expected )
{
    ok_( __FILE__, line )( !strcmp( call_log, expected ), "calls were\n  %s\nexpected\n  %s\n", call_log, expected );
    call_log[0] = 0;
}

/* ------------------------------------------------------------------ */
/* the provider's profile section                                      */

struct profsect
{
    IProfSect IProfSect_iface;
    LONG refcount;
    WCHAR path[MAX_PATH];      /* PR_PST_PATH_W, "" for none */
    WCHAR password[64];        /* PR_PST_PW_SZ_OLD(_W), "" for none */
    BOOL password_ansi;        /* given as PR_PST_PW_SZ_OLD */
};

static struct profsect profile;

static HRESULT WINAPI profsect_QueryInterface( IProfSect *iface, REFIID riid, void **out )
{
    ok( 0, "unexpected QueryInterface %s.\n", wine_dbgstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI profsect_AddRef( IProfSect *iface )
{
    return InterlockedIncrement( &profile.refcount );
}

static ULONG WINAPI profsect_Release( IProfSect *iface )
{
    return InterlockedDecrement( &profile.refcount );
}

static HRESULT WINAPI profsect_GetLastError( IProfSect *iface, HRESULT hr, ULONG flags, MAPIERROR **error )
{
    ok( 0, "unexpected call\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI profsect_SaveChanges( IProfSect *iface, ULONG flags )
{
    log_call( "SaveChanges; " );
    return S_OK;
}

static HRESULT WINAPI profsect_GetProps( IProfSect *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
                                         SPropValue **props )
{
    SPropValue *values = NULL;
    ULONG i;

    ok( tags != NULL, "the provider asked for every property.\n" );
    test_allocate_buffer( tags->cValues * sizeof(SPropValue), (void **)&values );
    for (i = 0; i < tags->cValues; i++)
    {
        if (tags->aulPropTag[i] == PR_PST_PATH_W && profile.path[0])
        {
            values[i].ulPropTag = PR_PST_PATH_W;
            test_allocate_more( (wcslen( profile.path ) + 1) * sizeof(WCHAR), values,
                                (void **)&values[i].Value.lpszW );
            wcscpy( values[i].Value.lpszW, profile.path );
        }
        else if (tags->aulPropTag[i] == PROP_TAG(PT_UNICODE, 0x6703) && profile.password[0] && !profile.password_ansi)
        {
            values[i].ulPropTag = tags->aulPropTag[i];
            test_allocate_more( (wcslen( profile.password ) + 1) * sizeof(WCHAR), values,
                                (void **)&values[i].Value.lpszW );
            wcscpy( values[i].Value.lpszW, profile.password );
        }
        else if (tags->aulPropTag[i] == PROP_TAG(PT_STRING8, 0x6703) && profile.password[0] && profile.password_ansi)
        {
            values[i].ulPropTag = tags->aulPropTag[i];
            test_allocate_more( wcslen( profile.password ) + 1, values, (void **)&values[i].Value.lpszA );
            WideCharToMultiByte( CP_ACP, 0, profile.password, -1, values[i].Value.lpszA,
                                 wcslen( profile.password ) + 1, NULL, NULL );
        }
        else
        {
            values[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
            values[i].Value.err = MAPI_E_NOT_FOUND;
        }
    }
    *count = tags->cValues;
    *props = values;
    return MAPI_W_ERRORS_RETURNED;
}

static HRESULT WINAPI profsect_GetPropList( IProfSect *iface, ULONG flags, SPropTagArray **tags )
{
    ok( 0, "unexpected call\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI profsect_OpenProperty( IProfSect *iface, ULONG tag, const IID *iid, ULONG options,
                                             ULONG flags, IUnknown **unk )
{
    ok( 0, "unexpected call\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI profsect_SetProps( IProfSect *iface, ULONG count, SPropValue *props,
                                         SPropProblemArray **problems )
{
    ULONG i;

    log_call( "SetProps(" );
    for (i = 0; i < count; i++) log_call( "%s%#lx", i ? " " : "", props[i].ulPropTag );
    log_call( "); " );
    return S_OK;
}

static HRESULT WINAPI profsect_DeleteProps( IProfSect *iface, SPropTagArray *tags, SPropProblemArray **problems )
{
    ok( 0, "unexpected call\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI profsect_CopyTo( IProfSect *iface, ULONG count, const IID *iids, SPropTagArray *exclude,
                                       ULONG ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
                                       ULONG flags, SPropProblemArray **problems )
{
    ok( 0, "unexpected call\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI profsect_CopyProps( IProfSect *iface, SPropTagArray *include, ULONG ui_param,
                                          IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags,
                                          SPropProblemArray **problems )
{
    ok( 0, "unexpected call\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI profsect_GetNamesFromIDs( IProfSect *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
                                                ULONG *count, MAPINAMEID ***names )
{
    ok( 0, "unexpected call\n" );
    return E_NOTIMPL;
}

static HRESULT WINAPI profsect_GetIDsFromNames( IProfSect *iface, ULONG count, MAPINAMEID **names, ULONG flags,
                                                SPropTagArray **tags )
{
    ok( 0, "unexpected call\n" );
    return E_NOTIMPL;
}

static const IProfSectVtbl profsect_vtbl =
{
    profsect_QueryInterface,
    profsect_AddRef,
    profsect_Release,
    profsect_GetLastError,
    profsect_SaveChanges,
    profsect_GetProps,
    profsect_GetPropList,
    profsect_OpenProperty,
    profsect_SetProps,
    profsect_DeleteProps,
    profsect_CopyTo,
    profsect_CopyProps,
    profsect_GetNamesFromIDs,
    profsect_GetIDsFromNames,
};

/* ------------------------------------------------------------------ */
/* the support object                                                   */

struct support
{
    IMAPISupport IMAPISupport_iface;
    LONG refcount;
    IMSLogon *logon;           /* what "MAPI" got back from Logon */
    BOOL logging_off;          /* MAPI is inside IMSLogon::Logoff */
    BYTE entryid[1024];        /* the last store entry ID the provider wrapped */
    ULONG entryid_size;
};

static inline struct support *impl_from_IMAPISupport( IMAPISupport *iface )
{
    return CONTAINING_RECORD( iface, struct support, IMAPISupport_iface );
}

static HRESULT WINAPI support_QueryInterface( IMAPISupport *iface, REFIID riid, void **out )
{
    ok( 0, "unexpected QueryInterface %s.\n", wine_dbgstr_guid(riid) );
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI support_AddRef( IMAPISupport *iface )
{
    struct support *support = impl_from_IMAPISupport( iface );

    return InterlockedIncrement( &support->refcount );
}

/* What MAPI does in the support object's final release (R4.8, R4.10) */
static ULONG WINAPI support_Release( IMAPISupport *iface )
{
    struct support *support = impl_from_IMAPISupport( iface );
    ULONG refcount = InterlockedDecrement( &support->refcount ), zero = 0;
    HRESULT hr;

    if (refcount) return refcount;
    log_call( "support final release; " );
    if (support->logon && !support->logging_off)
    {
        support->logging_off = TRUE;
        hr = IMSLogon_Logoff( support->logon, &zero );
        log_call( "Logoff %#lx; ", hr );
        refcount = IMSLogon_Release( support->logon );
        log_call( "IMSLogon release %lu; ", refcount );
        support->logon = NULL;
    }
    return 0;
}

#define UNEXPECTED(name, args) \
    static HRESULT WINAPI support_##name args \
    { \
        ok( 0, "unexpected IMAPISupport::" #name "\n" ); \
        return E_NOTIMPL; \
    }

UNEXPECTED(GetLastError, (IMAPISupport *iface, HRESULT hr, ULONG flags, MAPIERROR **error))
UNEXPECTED(GetMemAllocRoutines, (IMAPISupport *iface, LPALLOCATEBUFFER *a, LPALLOCATEMORE *m, LPFREEBUFFER *f))
/* The status row the provider added: counted, the last one remembered */
static LONG status_row_calls;
static ULONG status_row_flags, status_row_methods, status_row_code, status_row_type;
static WCHAR status_row_name[MAX_PATH];

static HRESULT WINAPI support_ModifyStatusRow( IMAPISupport *iface, ULONG count, SPropValue *columns, ULONG flags )
{
    ULONG i;

    ok( count && columns, "ModifyStatusRow(%lu, %p).\n", count, columns );
    status_row_calls++;
    status_row_flags = flags;
    status_row_methods = status_row_code = status_row_type = 0xdeadbeef;
    status_row_name[0] = 0;
    for (i = 0; i < count; i++)
    {
        if (columns[i].ulPropTag == PR_RESOURCE_METHODS) status_row_methods = columns[i].Value.l;
        else if (columns[i].ulPropTag == PR_STATUS_CODE) status_row_code = columns[i].Value.l;
        else if (columns[i].ulPropTag == PR_RESOURCE_TYPE) status_row_type = columns[i].Value.l;
        else if (columns[i].ulPropTag == PR_DISPLAY_NAME_W)
            lstrcpynW( status_row_name, columns[i].Value.lpszW, ARRAY_SIZE(status_row_name) );
    }
    return S_OK;
}

UNEXPECTED(RegisterPreprocessor, (IMAPISupport *iface, MAPIUID *uid, LPWSTR type, LPWSTR dll, LPSTR preprocess,
                                  LPSTR remove, ULONG flags))
UNEXPECTED(NewUID, (IMAPISupport *iface, MAPIUID *uid))
UNEXPECTED(MakeInvalid, (IMAPISupport *iface, ULONG flags, void *object, ULONG refcount, ULONG count))
UNEXPECTED(SpoolerYield, (IMAPISupport *iface, ULONG flags))
UNEXPECTED(SpoolerNotify, (IMAPISupport *iface, ULONG flags, void *data))
UNEXPECTED(CreateOneOff, (IMAPISupport *iface, LPWSTR name, LPWSTR type, LPWSTR address, ULONG flags,
                          ULONG *size, ENTRYID **entry))
UNEXPECTED(CompareEntryIDs, (IMAPISupport *iface, ULONG size1, ENTRYID *entry1, ULONG size2, ENTRYID *entry2,
                             ULONG flags, ULONG *result))
UNEXPECTED(OpenTemplateID, (IMAPISupport *iface, ULONG size, ENTRYID *id, ULONG flags, IMAPIProp *data,
                            const IID *iid, IMAPIProp **prop, IMAPIProp *sibling))
UNEXPECTED(OpenEntry, (IMAPISupport *iface, ULONG size, ENTRYID *entry, const IID *iid, ULONG flags,
                       ULONG *type, IUnknown **unk))
UNEXPECTED(GetOneOffTable, (IMAPISupport *iface, ULONG flags, IMAPITable **table))
UNEXPECTED(Address, (IMAPISupport *iface, ULONG_PTR *ui_param, LPADRPARM params, ADRLIST **list))
UNEXPECTED(Details, (IMAPISupport *iface, ULONG_PTR *ui_param, LPFNDISMISS dismiss, void *context, ULONG size,
                     ENTRYID *entry, LPFNBUTTON button, void *button_context, LPWSTR text, ULONG flags))
UNEXPECTED(NewEntry, (IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags, ULONG size, ENTRYID *container,
                      ULONG template_size, ENTRYID *template_id, ULONG *new_size, ENTRYID **new_entry))
UNEXPECTED(DoConfigPropsheet, (IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags, LPWSTR title,
                               IMAPITable *table, IMAPIProp *data, ULONG page))
UNEXPECTED(CopyMessages, (IMAPISupport *iface, const IID *src_iid, void *src, ENTRYLIST *list,
                          const IID *dst_iid, void *dst, ULONG_PTR ui_param, IMAPIProgress *progress, ULONG flags))
UNEXPECTED(CopyFolder, (IMAPISupport *iface, const IID *src_iid, void *src, ULONG size, ENTRYID *entry,
                        const IID *dst_iid, void *dst, LPWSTR name, ULONG_PTR ui_param, IMAPIProgress *progress,
                        ULONG flags))
UNEXPECTED(DoCopyTo, (IMAPISupport *iface, const IID *src_iid, void *src, ULONG count, const IID *iids,
                      SPropTagArray *exclude, ULONG_PTR ui_param, IMAPIProgress *progress, const IID *dst_iid,
                      void *dst, ULONG flags, SPropProblemArray **problems))
UNEXPECTED(DoCopyProps, (IMAPISupport *iface, const IID *src_iid, void *src, SPropTagArray *include,
                         ULONG_PTR ui_param, IMAPIProgress *progress, const IID *dst_iid, void *dst, ULONG flags,
                         SPropProblemArray **problems))
UNEXPECTED(DoProgressDialog, (IMAPISupport *iface, ULONG_PTR ui_param, ULONG flags, IMAPIProgress **progress))
UNEXPECTED(ReadReceipt, (IMAPISupport *iface, ULONG flags, IMessage *message, IMessage **empty))
UNEXPECTED(PrepareSubmit, (IMAPISupport *iface, IMessage *message, ULONG *flags))
UNEXPECTED(ExpandRecips, (IMAPISupport *iface, IMessage *message, ULONG *flags))
UNEXPECTED(UpdatePAB, (IMAPISupport *iface, ULONG flags, IMessage *message))
UNEXPECTED(DoSentMail, (IMAPISupport *iface, ULONG flags, IMessage *message))
UNEXPECTED(OpenAddressBook, (IMAPISupport *iface, const IID *iid, ULONG flags, IAddrBook **book))
UNEXPECTED(Preprocess, (IMAPISupport *iface, ULONG flags, ULONG size, ENTRYID *entry))
UNEXPECTED(CompleteMsg, (IMAPISupport *iface, ULONG flags, ULONG size, ENTRYID *entry))
UNEXPECTED(StatusRecips, (IMAPISupport *iface, IMessage *message, ADRLIST *list))
UNEXPECTED(ModifyProfile, (IMAPISupport *iface, ULONG flags))
UNEXPECTED(IStorageFromStream, (IMAPISupport *iface, IUnknown *unk, const IID *iid, ULONG flags,
                                IStorage **storage))
UNEXPECTED(GetSvcConfigSupportObj, (IMAPISupport *iface, ULONG flags, IMAPISupport **support))

/* Notifications the provider sent: counted, the last one remembered */
static LONG notify_calls;
static ULONG notify_last_event;
static ULONG notify_last_key_size;

static HRESULT WINAPI support_Notify( IMAPISupport *iface, NOTIFKEY *key, ULONG count, NOTIFICATION *notifications,
                                      ULONG *flags )
{
    ok( key && count && notifications && flags, "Notify(%p, %lu, %p, %p).\n", key, count, notifications, flags );
    notify_calls++;
    notify_last_event = notifications[0].ulEventType;
    notify_last_key_size = key->cb;
    return S_OK;
}

static HRESULT WINAPI support_Subscribe( IMAPISupport *iface, NOTIFKEY *key, ULONG mask, ULONG flags,
                                         IMAPIAdviseSink *sink, ULONG_PTR *connection )
{
    log_call( "Subscribe(%lu, %#lx); ", key->cb, mask );
    *connection = 42;
    return S_OK;
}

static HRESULT WINAPI support_Unsubscribe( IMAPISupport *iface, ULONG_PTR connection )
{
    log_call( "Unsubscribe(%Iu); ", connection );
    return S_OK;
}

static HRESULT WINAPI support_OpenProfileSection( IMAPISupport *iface, MAPIUID *uid, ULONG flags,
                                                  IProfSect **section )
{
    ok( !uid, "the provider asked for another section than its own.\n" );
    IProfSect_AddRef( &profile.IProfSect_iface );
    *section = &profile.IProfSect_iface;
    return S_OK;
}

static HRESULT WINAPI support_SetProviderUID( IMAPISupport *iface, MAPIUID *uid, ULONG flags )
{
    log_call( "SetProviderUID; " );
    ok( !flags, "flags %#lx.\n", flags );
    return S_OK;
}

static HRESULT WINAPI support_StoreLogoffTransports( IMAPISupport *iface, ULONG *flags )
{
    log_call( "StoreLogoffTransports(%#lx); ", *flags );
    *flags = LOGOFF_COMPLETE;
    return S_OK;
}

/* MAPI's wrapping: a prefix the provider must not care about */
static HRESULT WINAPI support_WrapStoreEntryID( IMAPISupport *iface, ULONG size, ENTRYID *entry,
                                                ULONG *wrapped_size, ENTRYID **wrapped )
{
    struct support *support = impl_from_IMAPISupport( iface );

    ok( size <= sizeof(support->entryid), "entry ID of %lu bytes.\n", size );
    memcpy( support->entryid, entry, min( size, sizeof(support->entryid) ) );
    support->entryid_size = size;
    test_allocate_buffer( size + 4, (void **)wrapped );
    memcpy( (BYTE *)*wrapped + 4, entry, size );
    memset( *wrapped, 0xcc, 4 );
    *wrapped_size = size + 4;
    return S_OK;
}

static const IMAPISupportVtbl support_vtbl =
{
    support_QueryInterface,
    support_AddRef,
    support_Release,
    support_GetLastError,
    support_GetMemAllocRoutines,
    support_Subscribe,
    support_Unsubscribe,
    support_Notify,
    support_ModifyStatusRow,
    support_OpenProfileSection,
    support_RegisterPreprocessor,
    support_NewUID,
    support_MakeInvalid,
    support_SpoolerYield,
    support_SpoolerNotify,
    support_CreateOneOff,
    support_SetProviderUID,
    support_CompareEntryIDs,
    support_OpenTemplateID,
    support_OpenEntry,
    support_GetOneOffTable,
    support_Address,
    support_Details,
    support_NewEntry,
    support_DoConfigPropsheet,
    support_CopyMessages,
    support_CopyFolder,
    support_DoCopyTo,
    support_DoCopyProps,
    support_DoProgressDialog,
    support_ReadReceipt,
    support_PrepareSubmit,
    support_ExpandRecips,
    support_UpdatePAB,
    support_DoSentMail,
    support_OpenAddressBook,
    support_Preprocess,
    support_CompleteMsg,
    support_StoreLogoffTransports,
    support_StatusRecips,
    support_WrapStoreEntryID,
    support_ModifyProfile,
    support_IStorageFromStream,
    support_GetSvcConfigSupportObj,
};

static void init_support( struct support *support )
{
    memset( support, 0, sizeof(*support) );
    support->IMAPISupport_iface.lpVtbl = &support_vtbl;
    /* the creator's reference, dropped right after Logon as MAPI does */
    support->refcount = 1;
}

/* ------------------------------------------------------------------ */
/* an IMalloc that counts its references                                */

static LONG malloc_refcount;

static HRESULT WINAPI malloc_QueryInterface( IMalloc *iface, REFIID riid, void **out )
{
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI malloc_AddRef( IMalloc *iface )
{
    return InterlockedIncrement( &malloc_refcount );
}

static ULONG WINAPI malloc_Release( IMalloc *iface )
{
    return InterlockedDecrement( &malloc_refcount );
}

static void * WINAPI malloc_Alloc( IMalloc *iface, SIZE_T size ) { return malloc( size ); }
static void * WINAPI malloc_Realloc( IMalloc *iface, void *ptr, SIZE_T size ) { return realloc( ptr, size ); }
static void WINAPI malloc_Free( IMalloc *iface, void *ptr ) { free( ptr ); }
static SIZE_T WINAPI malloc_GetSize( IMalloc *iface, void *ptr ) { return 0; }
static INT WINAPI malloc_DidAlloc( IMalloc *iface, void *ptr ) { return -1; }
static void WINAPI malloc_HeapMinimize( IMalloc *iface ) {}

static const IMallocVtbl malloc_vtbl =
{
    malloc_QueryInterface,
    malloc_AddRef,
    malloc_Release,
    malloc_Alloc,
    malloc_Realloc,
    malloc_Free,
    malloc_GetSize,
    malloc_DidAlloc,
    malloc_HeapMinimize,
};

static IMalloc test_malloc = { &malloc_vtbl };

/* ------------------------------------------------------------------ */

/* Copies a sample PST from the shared data into a temporary file. */
static BOOL copy_sample( const char *name, WCHAR *copy )
{
    char source[MAX_PATH], *data_dir = getenv( "WINEMAPIX_TEST_DATA" );
    WCHAR source_w[MAX_PATH], temp_dir[MAX_PATH];
    char *p;

    if (!data_dir) return FALSE;
    snprintf( source, sizeof(source), "Z:%s/%s", data_dir, name );
    for (p = source; *p; p++) if (*p == '/') *p = '\\';
    MultiByteToWideChar( CP_ACP, 0, source, -1, source_w, ARRAY_SIZE(source_w) );
    GetTempPathW( ARRAY_SIZE(temp_dir), temp_dir );
    GetTempFileNameW( temp_dir, L"pst", 0, copy );
    return CopyFileW( source_w, copy, FALSE );
}

static IMSProvider *create_provider(void)
{
    IMSProvider *provider = NULL;
    ULONG version = 0;
    HRESULT hr;

    hr = pMSProviderInit( GetModuleHandleA( "winepst.dll" ), &test_malloc, test_allocate_buffer,
                          test_allocate_more, test_free_buffer, 0, CURRENT_SPI_VERSION, &version, &provider );
    ok( hr == S_OK, "MSProviderInit returned %#lx.\n", hr );
    ok( version == CURRENT_SPI_VERSION, "provider version %#lx.\n", version );
    return provider;
}

/* A provider whose MAPI allocations go through the fault allocators. */
static inline IMSProvider *create_fault_provider(void)
{
    IMSProvider *provider = NULL;
    ULONG version = 0;
    HRESULT hr;

    hr = pMSProviderInit( GetModuleHandleA( "winepst.dll" ), &test_malloc, fault_allocate_buffer,
                          fault_allocate_more, test_free_buffer, 0, CURRENT_SPI_VERSION, &version, &provider );
    ok( hr == S_OK, "MSProviderInit returned %#lx.\n", hr );
    return provider;
}

/* Logon as MAPI does it: on success MAPI drops its creation reference on
 * the support object and remembers the IMSLogon. */
/* IMSProvider::Logon as MAPI calls it, with FLAGS (MDB_WRITE ...) added */
static HRESULT logon_with_flags( IMSProvider *provider, struct support *support, ULONG flags, ULONG entry_size,
                                 ENTRYID *entry, IMSLogon **ms_logon, IMsgStore **store )
{
    BYTE *security = (BYTE *)0xdeadbeef;
    ULONG security_size = 0xdeadbeef;
    MAPIERROR *error = NULL;
    HRESULT hr;

    *ms_logon = (IMSLogon *)0xdeadbeef;
    *store = (IMsgStore *)0xdeadbeef;
    hr = IMSProvider_Logon( provider, &support->IMAPISupport_iface, 0, NULL, entry_size, entry,
                            MDB_NO_DIALOG | MAPI_UNICODE | flags, NULL, &security_size, &security, &error,
                            ms_logon, store );
    if (SUCCEEDED(hr))
    {
        ok( !security_size && !security, "spooler security %lu, %p.\n", security_size, security );
        support->logon = *ms_logon;
        if (*ms_logon) IMSLogon_AddRef( *ms_logon );
    }
    if (error) test_free_buffer( error );
    IMAPISupport_Release( &support->IMAPISupport_iface );
    return hr;
}

static HRESULT logon( IMSProvider *provider, struct support *support, ULONG entry_size, ENTRYID *entry,
                      IMSLogon **ms_logon, IMsgStore **store )
{
    return logon_with_flags( provider, support, 0, entry_size, entry, ms_logon, store );
}

/* Loads winepst.dll and finds its entry points; FALSE if it cannot. */
static BOOL init_winepst(void)
{
    HMODULE module = LoadLibraryA( "winepst.dll" );

    ok( module != NULL, "winepst.dll did not load: %lu.\n", GetLastError() );
    if (!module) return FALSE;
    pMSProviderInit = (void *)GetProcAddress( module, "MSProviderInit" );
    pDllCanUnloadNow = (void *)GetProcAddress( module, "DllCanUnloadNow" );
    ok( pMSProviderInit && pDllCanUnloadNow, "exports are missing.\n" );
    profile.IProfSect_iface.lpVtbl = &profsect_vtbl;
    return pMSProviderInit && pDllCanUnloadNow;
}

/* ------------------------------------------------------------------ */
/* a sample store opened the way MAPI opens it                          */

struct test_store
{
    IMSProvider *provider;
    struct support support;
    IMSLogon *ms_logon;
    IMsgStore *store;
    WCHAR path[MAX_PATH];
};

/* FLAGS: added to the logon's (MDB_WRITE for a store to write to) */
static inline BOOL open_test_store_flags( const char *sample, ULONG flags, struct test_store *ts )
{
    HRESULT hr;

    memset( ts, 0, sizeof(*ts) );
    if (!copy_sample( sample, ts->path ))
    {
        skip( "sample %s is not available.\n", sample );
        return FALSE;
    }
    ts->provider = create_provider();
    wcscpy( profile.path, ts->path );
    init_support( &ts->support );
    hr = logon_with_flags( ts->provider, &ts->support, flags, 0, NULL, &ts->ms_logon, &ts->store );
    ok( hr == S_OK, "Logon to %s returned %#lx.\n", sample, hr );
    call_log[0] = 0;
    if (hr == S_OK) return TRUE;
    IMSProvider_Release( ts->provider );
    DeleteFileW( ts->path );
    return FALSE;
}

static inline BOOL open_test_store( const char *sample, struct test_store *ts )
{
    return open_test_store_flags( sample, 0, ts );
}

/* MAPI's IMSLogon::Logoff: everything opened from the store dies */
static inline void logoff_test_store( struct test_store *ts )
{
    ULONG zero = 0;
    HRESULT hr;

    hr = IMSLogon_Logoff( ts->ms_logon, &zero );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
}

static inline void close_test_store( struct test_store *ts )
{
    IMsgStore_Release( ts->store );
    ok( !IMSLogon_Release( ts->ms_logon ), "the logon is still referenced.\n" );
    ok( !IMSProvider_Release( ts->provider ), "the provider is still referenced.\n" );
    DeleteFileW( ts->path );
    call_log[0] = 0;
}

/* A logon to the file at PATH (the test's own copy), as MAPI makes it,
 * with FLAGS added (MDB_WRITE ...); the caller deletes the file. */
struct wstore
{
    IMSProvider *provider;
    struct support support;
    IMSLogon *ms_logon;
    IMsgStore *store;
};

static inline HRESULT wstore_logon( const WCHAR *path, ULONG flags, struct wstore *ws )
{
    HRESULT hr;

    memset( ws, 0, sizeof(*ws) );
    ws->provider = create_provider();
    wcscpy( profile.path, path );
    init_support( &ws->support );
    hr = logon_with_flags( ws->provider, &ws->support, flags, 0, NULL, &ws->ms_logon, &ws->store );
    if (FAILED(hr)) IMSProvider_Release( ws->provider );
    call_log[0] = 0;
    return hr;
}

static inline void wstore_logoff( struct wstore *ws )
{
    ULONG zero = 0;
    HRESULT hr;

    hr = IMSLogon_Logoff( ws->ms_logon, &zero );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    IMsgStore_Release( ws->store );
    IMSLogon_Release( ws->ms_logon );
    ok( !IMSProvider_Release( ws->provider ), "the provider is still referenced.\n" );
    call_log[0] = 0;
}

/* ------------------------------------------------------------------ */
/* reaching messages through the public interfaces (message.c, attach.c) */

#ifndef CONVENIENT_DEPTH
#define CONVENIENT_DEPTH 0x00000001
#endif

/* An opened sample store. */
struct sample
{
    WCHAR path[MAX_PATH];
    IMSProvider *provider;
    struct support support;
    IMSLogon *ms_logon;
    IMsgStore *store;
};

static inline BOOL open_sample( const char *name, struct sample *sample )
{
    HRESULT hr;

    memset( sample, 0, sizeof(*sample) );
    if (!copy_sample( name, sample->path )) return FALSE;
    sample->provider = create_provider();
    wcscpy( profile.path, sample->path );
    init_support( &sample->support );
    hr = logon( sample->provider, &sample->support, 0, NULL, &sample->ms_logon, &sample->store );
    ok( hr == S_OK, "Logon returned %#lx.\n", hr );
    call_log[0] = 0;
    if (hr == S_OK) return TRUE;
    IMSProvider_Release( sample->provider );
    DeleteFileW( sample->path );
    return FALSE;
}

static inline void close_sample( struct sample *sample )
{
    if (sample->store) ok( !IMsgStore_Release( sample->store ), "the store is still referenced.\n" );
    if (sample->ms_logon) IMSLogon_Release( sample->ms_logon );
    ok( !IMSProvider_Release( sample->provider ), "provider still referenced.\n" );
    call_log[0] = 0;
    DeleteFileW( sample->path );
}

/* The entry ID in column TAG of the first row of TABLE where NAME_TAG is NAME (any row if NULL). */
static inline BOOL find_row( IMAPITable *table, ULONG name_tag, const WCHAR *name, ULONG tag, SBinary *out, BYTE *buffer )
{
    SizedSPropTagArray(2, columns) = { 2, { name_tag, tag } };
    SRowSet *rows = NULL;
    BOOL found = FALSE;
    HRESULT hr;
    ULONG i;

    hr = IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( table, 100, 0, &rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    if (FAILED(hr)) return FALSE;
    for (i = 0; i < rows->cRows && !found; i++)
    {
        SPropValue *props = rows->aRow[i].lpProps;

        if (name && (props[0].ulPropTag != name_tag || wcscmp( props[0].Value.lpszW, name ))) continue;
        if (props[1].ulPropTag != tag || props[1].Value.bin.cb > 256) continue;
        memcpy( buffer, props[1].Value.bin.lpb, props[1].Value.bin.cb );
        out->cb = props[1].Value.bin.cb;
        out->lpb = buffer;
        found = TRUE;
    }
    for (i = 0; i < rows->cRows; i++) test_free_buffer( rows->aRow[i].lpProps );
    test_free_buffer( rows );
    return found;
}

/* Opens the first message of folder FOLDER through the store's public
 * interfaces (root folder, hierarchy table, folder, contents table). */
static inline IMessage *open_first_message( IMsgStore *store, const WCHAR *folder_name )
{
    IMAPIFolder *root = NULL, *folder = NULL;
    IMAPITable *table = NULL;
    IMessage *message = NULL;
    SBinary entry = { 0 };
    BYTE buffer[256];
    ULONG type;
    HRESULT hr;

    hr = IMsgStore_OpenEntry( store, 0, NULL, NULL, 0, &type, (IUnknown **)&root );
    if (hr == MAPI_E_NO_SUPPORT)
    {
        skip( "the store cannot open entries yet.\n" );
        return NULL;
    }
    ok( hr == S_OK, "OpenEntry(root) returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    hr = IMAPIFolder_GetHierarchyTable( root, CONVENIENT_DEPTH | MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    if (SUCCEEDED(hr))
    {
        ok( find_row( table, PR_DISPLAY_NAME_W, folder_name, PR_ENTRYID, &entry, buffer ),
            "no folder %s.\n", wine_dbgstr_w(folder_name) );
        IMAPITable_Release( table );
        hr = IMsgStore_OpenEntry( store, entry.cb, (ENTRYID *)entry.lpb, NULL, 0, &type, (IUnknown **)&folder );
        ok( hr == S_OK, "OpenEntry(folder) returned %#lx.\n", hr );
    }
    if (folder)
    {
        hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table );
        ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
        if (SUCCEEDED(hr))
        {
            ok( find_row( table, PR_SUBJECT_W, NULL, PR_ENTRYID, &entry, buffer ), "no message.\n" );
            IMAPITable_Release( table );
            type = 0xdeadbeef;
            hr = IMsgStore_OpenEntry( store, entry.cb, (ENTRYID *)entry.lpb, NULL, 0, &type,
                                      (IUnknown **)&message );
            ok( hr == S_OK, "OpenEntry(message) returned %#lx.\n", hr );
            ok( type == MAPI_MESSAGE, "object type %lu.\n", type );
        }
        IMAPIFolder_Release( folder );
    }
    IMAPIFolder_Release( root );
    return message;
}
