/*
 * A mock message store provider for the winemapix teardown tests
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
 * The provider follows the SDK sample store's teardown (spec R3.5, R3.6,
 * R5.5, R5.7): each store logon is one IMSLogon with its own refcount (owned
 * by MAPI) and one IMsgStore with another (owned by clients).  StoreLogoff
 * only saves its flags; the store's teardown calls StoreLogoffTransports
 * with them (LOGOFF_ABORT when StoreLogoff was never called).  A store that
 * clients still hold when MAPI calls IMSLogon::Logoff is handed to
 * IMAPISupport::MakeInvalid, which is why stores are allocated with MAPI's
 * allocator.
 *
 * Every call the provider receives, and every call it makes on the support
 * object that matters to teardown, is appended to a log the tests read
 * through mockprov_get_log(); entries end with ';'.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "initguid.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapix.h"
#include "mapiguid.h"
DEFINE_OLEGUID(IID_IMAPISupport, 0x0002030f, 0, 0);
#undef INITGUID
#include "guiddef.h"
#include "mapispi.h"
#include "mapiadmin.h"

/* behaviours the tests select with mockprov_configure() */
#define MOCK_LOGON_FAILS        0x01  /* Logon returns MAPI_E_LOGON_FAILED */
#define MOCK_LOW_VERSION        0x02  /* MSProviderInit returns PDK1_SPI_VERSION */
#define MOCK_SUPPORT_IN_LOGOFF  0x04  /* release the support object in IMSLogon::Logoff (R4.9 ii) */
#define MOCK_SUPPORT_IN_RELEASE 0x08  /* ... in IMSLogon's final Release (R4.9 iii) */
#define MOCK_PROFILE            0x10  /* behave like a real store at Logon: accept a NULL entry ID (the
                                         default store), write PR_ENTRYID and PR_DISPLAY_NAME to the
                                         profile section, add a status row with an identity; logs
                                         "Profile(<name>)" with the profile name Logon got */

/* IUnknown, IMAPIProp and IMsgStore */
#define STORE_METHOD_COUNT 27

static char log_buffer[8192];
static ULONG config;
static LONG uid_counter;

static void log_call(const char *format, ...)
{
    size_t len = strlen(log_buffer);
    va_list args;

    va_start(args, format);
    vsnprintf(log_buffer + len, sizeof(log_buffer) - len, format, args);
    va_end(args);
    len = strlen(log_buffer);
    if (len + 1 < sizeof(log_buffer))
    {
        log_buffer[len] = ';';
        log_buffer[len + 1] = 0;
    }
}

/* the support object of the newest logon, not referenced: valid while that logon is */
static IMAPISupport *last_support;

IMAPISupport * CDECL mockprov_get_support(void)
{
    return last_support;
}

void CDECL mockprov_configure(ULONG flags)
{
    config = flags;
}

const char * CDECL mockprov_get_log(void)
{
    return log_buffer;
}

void CDECL mockprov_reset_log(void)
{
    log_buffer[0] = 0;
}

struct provider
{
    IMSProvider IMSProvider_iface;
    LONG refcount;
    LPALLOCATEBUFFER allocate_buffer;
    LPFREEBUFFER free_buffer;
    struct logon *logons;
};

struct store
{
    /* MakeInvalid keeps its count right after the vtable pointer */
    IMsgStore IMsgStore_iface;
    LONG refcount;
    struct logon *logon;
};

struct logon
{
    IMSLogon IMSLogon_iface;
    LONG refcount;
    struct provider *provider;
    struct logon *next;
    IMAPISupport *support;
    struct store *store;
    ULONG saved_flags;
    ULONG entry_size;
    BYTE entry[64];
};

static void logon_release_support(struct logon *logon)
{
    IMAPISupport *support = logon->support;
    ULONG ref;

    if (!support) return;
    logon->support = NULL;
    log_call("SupportRelease");
    ref = IMAPISupport_Release(support);
    (void)ref;
}

/* The store's destruction, R5.7: transports, then the store itself. */
static void store_teardown(struct logon *logon, BOOL clients_hold_it)
{
    struct store *store = logon->store;
    ULONG flags = logon->saved_flags;
    HRESULT hr;

    logon->store = NULL;
    store->logon = NULL;
    hr = IMAPISupport_StoreLogoffTransports(logon->support, &flags);
    log_call("StoreLogoffTransports(%#lx)=%#lx,%#lx", logon->saved_flags, hr, flags);
    if (clients_hold_it)
    {
        hr = IMAPISupport_MakeInvalid(logon->support, 0, store, store->refcount, STORE_METHOD_COUNT);
        log_call("MakeInvalid(%ld)=%#lx", store->refcount, hr);
    }
    else
    {
        logon->provider->free_buffer(store);
    }
}

static inline struct store *impl_from_IMsgStore(IMsgStore *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMsgStore_iface);
}

static HRESULT WINAPI store_QueryInterface(IMsgStore *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) || IsEqualIID(riid, &IID_IMsgStore))
    {
        *out = iface;
        IMsgStore_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI store_AddRef(IMsgStore *iface)
{
    struct store *store = impl_from_IMsgStore(iface);
    return InterlockedIncrement(&store->refcount);
}

static ULONG WINAPI store_Release(IMsgStore *iface)
{
    struct store *store = impl_from_IMsgStore(iface);
    ULONG refcount = InterlockedDecrement(&store->refcount);
    struct logon *logon;

    if (!refcount)
    {
        logon = store->logon;
        log_call("StoreRelease");
        store_teardown(logon, FALSE);
        /* R4.9 (i): the support object goes last */
        if (!(config & (MOCK_SUPPORT_IN_LOGOFF | MOCK_SUPPORT_IN_RELEASE)))
            logon_release_support(logon);
    }
    return refcount;
}

static HRESULT WINAPI store_GetLastError(IMsgStore *iface, HRESULT hr, ULONG flags, MAPIERROR **error)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_SaveChanges(IMsgStore *iface, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetProps(IMsgStore *iface, SPropTagArray *tags, ULONG flags, ULONG *count,
        SPropValue **props)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetPropList(IMsgStore *iface, ULONG flags, SPropTagArray **tags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_OpenProperty(IMsgStore *iface, ULONG tag, const IID *iid, ULONG options,
        ULONG flags, IUnknown **unk)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_SetProps(IMsgStore *iface, ULONG count, SPropValue *props,
        SPropProblemArray **problems)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_DeleteProps(IMsgStore *iface, SPropTagArray *tags, SPropProblemArray **problems)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_CopyTo(IMsgStore *iface, ULONG exclude_count, const IID *exclude,
        SPropTagArray *tags, ULONG ui_param, IMAPIProgress *progress, const IID *iid, void *dest,
        ULONG flags, SPropProblemArray **problems)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_CopyProps(IMsgStore *iface, SPropTagArray *tags, ULONG ui_param,
        IMAPIProgress *progress, const IID *iid, void *dest, ULONG flags, SPropProblemArray **problems)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetNamesFromIDs(IMsgStore *iface, SPropTagArray **tags, GUID *guid, ULONG flags,
        ULONG *count, MAPINAMEID ***names)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetIDsFromNames(IMsgStore *iface, ULONG count, MAPINAMEID **names, ULONG flags,
        SPropTagArray **tags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_Advise(IMsgStore *iface, ULONG entry_size, ENTRYID *entry, ULONG mask,
        IMAPIAdviseSink *sink, ULONG *connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_Unadvise(IMsgStore *iface, ULONG connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_CompareEntryIDs(IMsgStore *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
        ENTRYID *entry2, ULONG flags, ULONG *result)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_OpenEntry(IMsgStore *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
        ULONG flags, ULONG *type, IUnknown **unk)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_SetReceiveFolder(IMsgStore *iface, char *class, ULONG flags, ULONG entry_size,
        ENTRYID *entry)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetReceiveFolder(IMsgStore *iface, char *class, ULONG flags, ULONG *entry_size,
        ENTRYID **entry, char **explicit_class)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetReceiveFolderTable(IMsgStore *iface, ULONG flags, IMAPITable **table)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_StoreLogoff(IMsgStore *iface, ULONG *flags)
{
    struct store *store = impl_from_IMsgStore(iface);

    log_call("StoreLogoff(%#lx)", *flags);
    store->logon->saved_flags = *flags;
    *flags = LOGOFF_COMPLETE;
    return S_OK;
}

static HRESULT WINAPI store_AbortSubmit(IMsgStore *iface, ULONG entry_size, ENTRYID *entry, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_GetOutgoingQueue(IMsgStore *iface, ULONG flags, IMAPITable **table)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_SetLockState(IMsgStore *iface, IMessage *message, ULONG state)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_FinishedMsg(IMsgStore *iface, ULONG flags, ULONG entry_size, ENTRYID *entry)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI store_NotifyNewMail(IMsgStore *iface, NOTIFICATION *notification)
{
    return MAPI_E_NO_SUPPORT;
}

static const IMsgStoreVtbl store_vtbl =
{
    store_QueryInterface,
    store_AddRef,
    store_Release,
    store_GetLastError,
    store_SaveChanges,
    store_GetProps,
    store_GetPropList,
    store_OpenProperty,
    store_SetProps,
    store_DeleteProps,
    store_CopyTo,
    store_CopyProps,
    store_GetNamesFromIDs,
    store_GetIDsFromNames,
    store_Advise,
    store_Unadvise,
    store_CompareEntryIDs,
    store_OpenEntry,
    store_SetReceiveFolder,
    store_GetReceiveFolder,
    store_GetReceiveFolderTable,
    store_StoreLogoff,
    store_AbortSubmit,
    store_GetOutgoingQueue,
    store_SetLockState,
    store_FinishedMsg,
    store_NotifyNewMail,
};

static inline struct logon *impl_from_IMSLogon(IMSLogon *iface)
{
    return CONTAINING_RECORD(iface, struct logon, IMSLogon_iface);
}

static HRESULT WINAPI logon_QueryInterface(IMSLogon *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMSLogon))
    {
        *out = iface;
        IMSLogon_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI logon_AddRef(IMSLogon *iface)
{
    struct logon *logon = impl_from_IMSLogon(iface);
    return InterlockedIncrement(&logon->refcount);
}

static ULONG WINAPI logon_Release(IMSLogon *iface)
{
    struct logon *logon = impl_from_IMSLogon(iface);
    ULONG refcount = InterlockedDecrement(&logon->refcount);
    struct logon **entry;

    log_call("LogonRelease=%lu", refcount);
    if (!refcount)
    {
        /* R7.5: a final Release without Logoff acts as Logoff(0) first */
        if (logon->store) store_teardown(logon, TRUE);
        logon_release_support(logon);
        for (entry = &logon->provider->logons; *entry; entry = &(*entry)->next)
        {
            if (*entry != logon) continue;
            *entry = logon->next;
            break;
        }
        free(logon);
    }
    return refcount;
}

static HRESULT WINAPI logon_GetLastError(IMSLogon *iface, HRESULT hr, ULONG flags, MAPIERROR **error)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_Logoff(IMSLogon *iface, ULONG *flags)
{
    struct logon *logon = impl_from_IMSLogon(iface);

    log_call("Logoff(%lu)", flags ? *flags : 0xdead);
    if (logon->store) store_teardown(logon, TRUE);
    if (!(config & MOCK_SUPPORT_IN_RELEASE)) logon_release_support(logon);
    return S_OK;
}

static HRESULT WINAPI logon_OpenEntry(IMSLogon *iface, ULONG entry_size, ENTRYID *entry, const IID *iid,
        ULONG flags, ULONG *type, IUnknown **unk)
{
    log_call("OpenEntry(%lu)", entry_size);
    return MAPI_E_NOT_FOUND;
}

static HRESULT WINAPI logon_CompareEntryIDs(IMSLogon *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
        ENTRYID *entry2, ULONG flags, ULONG *result)
{
    log_call("CompareEntryIDs");
    *result = size1 == size2 && !memcmp(entry1, entry2, size1);
    return S_OK;
}

static HRESULT WINAPI logon_Advise(IMSLogon *iface, ULONG entry_size, ENTRYID *entry, ULONG mask,
        IMAPIAdviseSink *sink, ULONG_PTR *connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_Unadvise(IMSLogon *iface, ULONG_PTR connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI logon_OpenStatusEntry(IMSLogon *iface, const IID *iid, ULONG flags, ULONG *type,
        void **entry)
{
    log_call("OpenStatusEntry(%#lx)", flags);
    return MAPI_E_NO_SUPPORT;
}

static const IMSLogonVtbl logon_vtbl =
{
    logon_QueryInterface,
    logon_AddRef,
    logon_Release,
    logon_GetLastError,
    logon_Logoff,
    logon_OpenEntry,
    logon_CompareEntryIDs,
    logon_Advise,
    logon_Unadvise,
    logon_OpenStatusEntry,
};

static inline struct provider *impl_from_IMSProvider(IMSProvider *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IMSProvider_iface);
}

static HRESULT WINAPI provider_QueryInterface(IMSProvider *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMSProvider))
    {
        *out = iface;
        IMSProvider_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI provider_AddRef(IMSProvider *iface)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    return InterlockedIncrement(&provider->refcount);
}

static ULONG WINAPI provider_Release(IMSProvider *iface)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    ULONG refcount = InterlockedDecrement(&provider->refcount);

    log_call("ProviderRelease=%lu", refcount);
    if (!refcount)
    {
        if (provider->logons) log_call("ERROR: logons left");
        free(provider);
    }
    return refcount;
}

static HRESULT WINAPI provider_Shutdown(IMSProvider *iface, ULONG *flags)
{
    struct provider *provider = impl_from_IMSProvider(iface);

    log_call("Shutdown(%lu)%s", flags ? *flags : 0xdead, provider->logons ? " with logons" : "");
    return S_OK;
}

/* implementing-service-provider-logon.md: the profile section and the status row */
static void publish_store(IMAPISupport *support, ULONG entry_size, ENTRYID *entry)
{
    static BYTE identity[20] = { 0, 0, 0, 0, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42,
                                 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42 };
    SPropValue props[6];
    ENTRYID *wrapped = NULL;
    LPFREEBUFFER free_buffer;
    ULONG wrapped_size;
    IProfSect *section;
    HRESULT hr;

    hr = IMAPISupport_OpenProfileSection(support, NULL, MAPI_MODIFY, &section);
    if (hr != S_OK)
    {
        log_call("OpenProfileSection=%#lx", hr);
        return;
    }
    hr = IMAPISupport_WrapStoreEntryID(support, entry_size, entry, &wrapped_size, &wrapped);
    if (hr != S_OK) log_call("WrapStoreEntryID=%#lx", hr);
    props[0].ulPropTag = PR_ENTRYID;
    props[0].Value.bin.cb = wrapped_size;
    props[0].Value.bin.lpb = (BYTE *)wrapped;
    props[1].ulPropTag = PR_DISPLAY_NAME_A;
    props[1].Value.lpszA = (char *)"Mock Store";
    hr = IProfSect_SetProps(section, 2, props, NULL);
    if (hr != S_OK) log_call("SetProps=%#lx", hr);
    hr = IProfSect_SaveChanges(section, 0);
    if (hr != S_OK) log_call("SaveChanges=%#lx", hr);
    IProfSect_Release(section);
    /* R1.4: never MAPI's exports, only the routines it hands out */
    IMAPISupport_GetMemAllocRoutines(support, NULL, NULL, &free_buffer);
    free_buffer(wrapped);

    props[0].ulPropTag = PR_DISPLAY_NAME_A;
    props[0].Value.lpszA = (char *)"Mock Store";
    props[1].ulPropTag = PR_STATUS_CODE;
    props[1].Value.l = STATUS_AVAILABLE;
    props[2].ulPropTag = PR_RESOURCE_METHODS;
    props[2].Value.l = 0;
    props[3].ulPropTag = PR_IDENTITY_ENTRYID;
    props[3].Value.bin.cb = sizeof(identity);
    props[3].Value.bin.lpb = identity;
    props[4].ulPropTag = PR_IDENTITY_DISPLAY_A;
    props[4].Value.lpszA = (char *)"Mock User";
    /* MAPI computes this one itself */
    props[5].ulPropTag = PR_RESOURCE_TYPE;
    props[5].Value.l = 12345;
    hr = IMAPISupport_ModifyStatusRow(support, 6, props, 0);
    if (hr != S_OK) log_call("ModifyStatusRow=%#lx", hr);
    props[0].ulPropTag = PR_STATUS_STRING_A;
    props[0].Value.lpszA = (char *)"Online";
    hr = IMAPISupport_ModifyStatusRow(support, 1, props, STATUSROW_UPDATE);
    if (hr != S_OK) log_call("ModifyStatusRow(update)=%#lx", hr);
}

static HRESULT WINAPI provider_Logon(IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
        WCHAR *profile_name, ULONG entry_size, ENTRYID *entry, ULONG flags, const IID *iid,
        ULONG *spool_security_size, BYTE **spool_security, MAPIERROR **error, IMSLogon **out_logon,
        IMsgStore **out_store)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    BYTE default_entry[32];
    struct logon *logon;
    struct store *store;
    MAPIUID uid;
    HRESULT hr;

    log_call("Logon(%#lx,%lu)", flags, entry_size);
    *spool_security_size = 0;
    *spool_security = NULL;
    *error = NULL;
    *out_logon = NULL;
    *out_store = NULL;

    if (config & MOCK_PROFILE)
    {
        if (flags & MAPI_UNICODE) log_call("Profile(%ls)", profile_name);
        else log_call("Profile(%s)", (char *)profile_name);
        if (!entry)
        {
            memset(default_entry, 0, sizeof(default_entry));
            memset(default_entry + 4, 0x77, 16);
            strcpy((char *)default_entry + 20, "default");
            entry = (ENTRYID *)default_entry;
            entry_size = sizeof(default_entry);
        }
    }
    if (config & MOCK_LOGON_FAILS) return MAPI_E_LOGON_FAILED;
    if (!entry || entry_size > sizeof(logon->entry)) return MAPI_E_INVALID_ENTRYID;

    /* R2.9: the store is already open through this provider object */
    for (logon = provider->logons; logon; logon = logon->next)
    {
        if (!logon->store || logon->entry_size != entry_size || memcmp(logon->entry, entry, entry_size))
            continue;
        log_call("Piggyback");
        IMsgStore_AddRef(&logon->store->IMsgStore_iface);
        *out_store = &logon->store->IMsgStore_iface;
        return S_OK;
    }

    if (!(logon = calloc(1, sizeof(*logon)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    if (provider->allocate_buffer(sizeof(*store), (void **)&store))
    {
        free(logon);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    store->IMsgStore_iface.lpVtbl = &store_vtbl;
    store->refcount = 1;
    store->logon = logon;
    logon->IMSLogon_iface.lpVtbl = &logon_vtbl;
    logon->refcount = 1;
    logon->provider = provider;
    logon->store = store;
    logon->saved_flags = LOGOFF_ABORT;
    logon->entry_size = entry_size;
    memcpy(logon->entry, entry, entry_size);
    logon->support = support;
    last_support = support;
    IMAPISupport_AddRef(support);

    memset(&uid, 0x5a, sizeof(uid));
    uid.ab[15] = InterlockedIncrement(&uid_counter);
    hr = IMAPISupport_SetProviderUID(support, &uid, 0);
    if (hr != S_OK) log_call("SetProviderUID=%#lx", hr);
    if (config & MOCK_PROFILE) publish_store(support, entry_size, entry);

    logon->next = provider->logons;
    provider->logons = logon;
    *out_logon = &logon->IMSLogon_iface;
    *out_store = &store->IMsgStore_iface;
    return S_OK;
}

static HRESULT WINAPI provider_SpoolerLogon(IMSProvider *iface, IMAPISupport *support, ULONG_PTR ui_param,
        WCHAR *profile_name, ULONG entry_size, ENTRYID *entry, ULONG flags, const IID *iid,
        ULONG spool_security_size, BYTE *spool_security, MAPIERROR **error, IMSLogon **out_logon,
        IMsgStore **out_store)
{
    log_call("SpoolerLogon");
    return MAPI_E_NO_SUPPORT;
}

static HRESULT WINAPI provider_CompareStoreIDs(IMSProvider *iface, ULONG size1, ENTRYID *entry1, ULONG size2,
        ENTRYID *entry2, ULONG flags, ULONG *result)
{
    log_call("CompareStoreIDs(%lu,%lu)", size1, size2);
    *result = size1 == size2 && !memcmp(entry1, entry2, size1);
    return S_OK;
}

static const IMSProviderVtbl provider_vtbl =
{
    provider_QueryInterface,
    provider_AddRef,
    provider_Release,
    provider_Shutdown,
    provider_Logon,
    provider_SpoolerLogon,
    provider_CompareStoreIDs,
};

HRESULT CDECL MSProviderInit(HINSTANCE instance, IMalloc *malloc, LPALLOCATEBUFFER allocate_buffer,
        LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG flags, ULONG mapi_version,
        ULONG *provider_version, IMSProvider **out)
{
    struct provider *provider;

    log_call("MSProviderInit(%#lx,%#lx)", flags, mapi_version);
    /* R1.15: MAPI passes real handles and allocators */
    if (!instance || !malloc || !allocate_buffer || !allocate_more || !free_buffer || !provider_version || !out)
    {
        log_call("ERROR: NULL argument");
        return MAPI_E_INVALID_PARAMETER;
    }
    if (mapi_version < CURRENT_SPI_VERSION) return MAPI_E_VERSION;

    if (!(provider = calloc(1, sizeof(*provider)))) return MAPI_E_NOT_ENOUGH_MEMORY;
    provider->IMSProvider_iface.lpVtbl = &provider_vtbl;
    provider->refcount = 1;
    provider->allocate_buffer = allocate_buffer;
    provider->free_buffer = free_buffer;
    *provider_version = (config & MOCK_LOW_VERSION) ? PDK1_SPI_VERSION : CURRENT_SPI_VERSION;
    *out = &provider->IMSProvider_iface;
    return S_OK;
}
