/* One error space for the whole project. Zero is success; every function that
 * can fail returns a cr_err. errno, ZeroMQ and LMDB codes are mapped at the
 * boundary where they occur (cr_err_from_errno), never passed through raw. */
#ifndef COURANT_ERR_H
#define COURANT_ERR_H

typedef enum cr_err {
	CR_OK = 0,
	CR_EINVAL,     /* bad argument or malformed input */
	CR_ENOMEM,     /* allocation failed or a cap was reached */
	CR_ETOOBIG,    /* input over its size limit */
	CR_EENCODING,  /* text could not be decoded */
	CR_EEMPTY,     /* nothing left after cleanup */
	CR_EPROTO,     /* frame is not a valid message of the expected schema */
	CR_EVERSION,   /* unknown schema version */
	CR_EIO,        /* file or socket I/O failed */
	CR_ENOSPC,     /* disk or map full */
	CR_ENOTFOUND,
	CR_EEXIST,
	CR_ETIMEDOUT,
	CR_EAGAIN,     /* try again later (would block, backpressure) */
	CR_ESTORE,     /* LMDB failure other than the above */
	CR_EINTR,      /* interrupted by a signal: shut down */
	CR_ECOUNT_
} cr_err;

/* Static English description of an error; never NULL. */
const char *cr_strerror(cr_err e);

/* Stable short name ("EINVAL") for logs and JSON. */
const char *cr_errname(cr_err e);

/* Map an errno value to the project's space. */
cr_err cr_err_from_errno(int e);

#endif
