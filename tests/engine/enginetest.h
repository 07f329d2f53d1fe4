/*
 * Tiny Wine-compatible test harness for the native engine tests.
 *
 * Output and exit codes follow Wine 8.0's wine/test.h: "file.c:LINE: Test
 * failed: msg", "file.c:LINE: Tests skipped: msg", trace lines, and the
 * "%04x:%s: %d tests executed (...)" summary; `prog --list` lists units,
 * `prog NAME` runs one and exits with min(failures, 255).
 *
 * Include it in exactly one C file per program, then define
 *   static const struct engine_test engine_tests[] = { { "name", func }, ... };
 * and ENGINE_TEST_MAIN.
 */
#ifndef PST_ENGINETEST_H
#define PST_ENGINETEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct engine_test
{
    const char *name;
    void (*func)(void);
};

static int winetest_successes, winetest_failures, winetest_skipped;
static const char *winetest_name = "";

static const char *winetest_base(const char *file)
{
    const char *p = strrchr(file, '/');

    return p ? p + 1 : file;
}

#if defined(__GNUC__)
static int winetest_ok(const char *file, int line, int cond, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* not every test program skips anything */
static void __attribute__((unused)) winetest_skip(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void winetest_trace(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4), unused));
#endif

static int winetest_ok(const char *file, int line, int cond, const char *fmt, ...)
{
    va_list args;

    if (cond)
    {
        winetest_successes++;
        return 1;
    }
    printf("%s:%d: Test failed: ", winetest_base(file), line);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    winetest_failures++;
    return 0;
}

static void winetest_skip(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    printf("%s:%d: Tests skipped: ", winetest_base(file), line);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    winetest_skipped++;
}

static void winetest_trace(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    printf("%s:%d: ", winetest_base(file), line);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
}

#define ok(cond, ...) winetest_ok(__FILE__, __LINE__, !!(cond), __VA_ARGS__)
#define skip(...) winetest_skip(__FILE__, __LINE__, __VA_ARGS__)
#define trace(...) winetest_trace(__FILE__, __LINE__, __VA_ARGS__)

/* Sanitizer errors must fail the program (they also abort it). */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "halt_on_error=1:detect_leaks=1:abort_on_error=0"; }
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "halt_on_error=1:print_stacktrace=1"; }

static int winetest_run(int argc, char **argv, const struct engine_test *tests, size_t count)
{
    const char *name;
    size_t i;
    int failures;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2 || !strcmp(argv[1], "--list"))
    {
        if (argc < 2) printf("Usage: %s test_name\n\n", argv[0]);
        printf("Valid test names:\n");
        for (i = 0; i < count; i++) printf("    %s\n", tests[i].name);
        return argc < 2 ? 1 : 0;
    }
    name = winetest_base(argv[1]);
    for (i = 0; i < count; i++)
    {
        size_t len = strlen(tests[i].name);

        if (!strcmp(name, tests[i].name) || (!strncmp(name, tests[i].name, len) && !strcmp(name + len, ".c")))
            break;
    }
    if (i == count)
    {
        printf("Fatal: test '%s' does not exist.\n", name);
        return 1;
    }
    winetest_name = tests[i].name;
    tests[i].func();
    printf("%04x:%s: %d tests executed (0 marked as todo, 0 as flaky, %d failure%s), %d skipped.\n",
           (unsigned int)getpid(), winetest_name, winetest_successes + winetest_failures, winetest_failures,
           winetest_failures == 1 ? "" : "s", winetest_skipped);
    failures = winetest_failures;
    return failures > 255 ? 255 : failures;
}

#define ENGINE_TEST_MAIN \
    int main(int argc, char **argv) \
    { \
        return winetest_run(argc, argv, engine_tests, sizeof(engine_tests) / sizeof(engine_tests[0])); \
    }

#endif
