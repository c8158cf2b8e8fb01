#pragma once
/* The reproducers' one check library (ReproChecks.cpp): an expectation of a
 * scenario step as a C call, "expected X, got Y" when it does not hold.
 * Every reproducer embeds it as text: the multi-process ones
 * (ReproRuntime.h) and the straight-line ones (properties/engine
 * StraightLine.cpp). Each reproducer brings its own fail(), which says where
 * (the step's line), and the error names, which the generator writes from
 * the error table. Valid C and C++. */
#ifndef _CRT_SECURE_NO_WARNINGS
#define _CRT_SECURE_NO_WARNINGS  /* MSVC: sprintf and strcpy are used with care */
#endif
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Calls.h"

/* Error names for the log, from the error table (model/.../Errors.h). */
struct repro_error_name
{
    DWORD code;
    const char *name;
};
extern const struct repro_error_name repro_error_names[];
extern const int repro_error_count;

/* The reproducer's own: an expectation that did not hold. */
void fail(const char *format, ...);
/* Wine's ok() idiom inside a step: expect(condition, "expected ..., got ...", ...). */
#define expect(condition, ...) do { if (!(condition)) fail(__VA_ARGS__); } while (0)

const char *error_text(DWORD error);
const char *outcome_text(const struct hc_call *c);
void expect_ok(const struct hc_call *c);
void expect_error(const struct hc_call *c, DWORD error, const char *as_written);
void expect_already_exists(const struct hc_call *c);
void expect_data(const struct hc_call *c, const char *text);
void expect_exit_code(const struct hc_call *c, DWORD code);
void expect_avail(const struct hc_call *c, DWORD avail);
void expect_instances(const struct hc_call *c, DWORD instances);
void expect_attribute_list_size(const struct hc_call *c, DWORD bytes);
/* `value=`: a std slot's value (c->handle) is `want`, written `as_written`. */
void expect_value(const struct hc_call *c, HANDLE want, const char *as_written);
void expect_valid(HANDLE h);
void expect_invalid(HANDLE h);
void expect_flag(HANDLE h, DWORD flag, BOOL on, const char *name);
void expect_count(HANDLE h, ULONG count, BOOL at_least);
void expect_type(HANDLE h, const char *type);
void expect_messages(HANDLE h, DWORD messages);
void expect_access(HANDLE h, DWORD access);
void expect_same(HANDLE h, HANDLE other, const char *other_name);
