/* Error names and messages for cr_err. */
#include "common/err.h"

#include <errno.h>

static const struct {
	const char *name;
	const char *text;
} errs[CR_ECOUNT_] = {
	[CR_OK] = {"OK", "success"},
	[CR_EINVAL] = {"EINVAL", "invalid argument or malformed input"},
	[CR_ENOMEM] = {"ENOMEM", "out of memory or over a size cap"},
	[CR_ETOOBIG] = {"ETOOBIG", "input over its size limit"},
	[CR_EENCODING] = {"EENCODING", "text could not be decoded"},
	[CR_EEMPTY] = {"EEMPTY", "no content left after cleanup"},
	[CR_EPROTO] = {"EPROTO", "not a valid message"},
	[CR_EVERSION] = {"EVERSION", "unknown schema version"},
	[CR_EIO] = {"EIO", "input/output error"},
	[CR_ENOSPC] = {"ENOSPC", "no space left"},
	[CR_ENOTFOUND] = {"ENOTFOUND", "not found"},
	[CR_EEXIST] = {"EEXIST", "already exists"},
	[CR_ETIMEDOUT] = {"ETIMEDOUT", "timed out"},
	[CR_EAGAIN] = {"EAGAIN", "try again"},
	[CR_ESTORE] = {"ESTORE", "storage error"},
	[CR_EINTR] = {"EINTR", "interrupted"},
};

const char *cr_strerror(cr_err e)
{
	if ((unsigned)e >= CR_ECOUNT_)
		return "unknown error";
	return errs[e].text;
}

const char *cr_errname(cr_err e)
{
	if ((unsigned)e >= CR_ECOUNT_)
		return "EUNKNOWN";
	return errs[e].name;
}

cr_err cr_err_from_errno(int e)
{
	switch (e) {
	case 0: return CR_OK;
	case EINVAL: return CR_EINVAL;
	case ENOMEM: return CR_ENOMEM;
	case ENOSPC: case EDQUOT: return CR_ENOSPC;
	case ENOENT: return CR_ENOTFOUND;
	case EEXIST: return CR_EEXIST;
	case ETIMEDOUT: return CR_ETIMEDOUT;
	case EAGAIN: return CR_EAGAIN;
	case EINTR: return CR_EINTR;
	case EMSGSIZE: case E2BIG: return CR_ETOOBIG;
	default: return CR_EIO;
	}
}
