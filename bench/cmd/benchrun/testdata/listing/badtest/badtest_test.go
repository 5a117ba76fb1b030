package badtest

import _ "example.invalid/missing"
