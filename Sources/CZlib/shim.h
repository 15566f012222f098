// zlib, the system library: nntop reads .csv.gz files with it.
#include <zlib.h>
