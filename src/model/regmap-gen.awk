# regmap-gen.awk: compile data/e34-register-map.tsv into C.
#   awk -v out=ids -f regmap-gen.awk map.tsv   > regmap-ids.h
#   awk -v out=table -f regmap-gen.awk map.tsv > regmap-e34.c
# Every fact (address, count, type, unit, scale, access, confidence, the human
# label and the enumeration values) comes from the TSV; this script only
# spells it in C. A row without a label stops the build. An unexpected type, scale or
# confidence stops the build with the TSV line number.
BEGIN { FS = "\t"; n = 0 }
function die(msg) { printf("%s:%d: %s\n", FILENAME, NR, msg) > "/dev/stderr"; failed = 1; exit 1 }
function cstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function ctype(t) {
	if (t == "-") return "REG_T_NONE"
	if (t == "4-word records") return "REG_T_RECORDS"
	if (t ~ /^(U8|U8_HEX|U16|U16_HEX|S16|U32|S32|U64_HEX|ASCII16|ASCII|DATETIME|DATETIME_3)$/) return "REG_T_" t
	die("unknown type '" t "'")
}
function cconf(c) {
	if (c == "confirmed-E34") return "CONF_CONFIRMED_E34"
	if (c == "confirmed-family") return "CONF_CONFIRMED_FAMILY"
	if (c == "inferred") return "CONF_INFERRED"
	if (c == "unknown") return "CONF_UNKNOWN"
	die("unknown confidence '" c "'")
}
function scale(s) {
	if (s == "-" || s == "numerator/denominator") { has = 0; return 0 }
	has = 1
	if (s == "1") return 0
	if (s == "10") return 1
	if (s == "0.1") return -1
	if (s == "0.01") return -2
	if (s == "0.001") return -3
	die("unknown scale '" s "'")
}
function access(a) {
	if (a == "R") return "REG_ACC_R"
	if (a == "W") return "REG_ACC_W"
	if (a == "RW") return "REG_ACC_R | REG_ACC_W"
	if (a == "-") return "0"
	die("unknown access '" a "'")
}
NR == 1 {
	if ($1 != "address" || $4 != "type" || $6 != "scale" || $10 != "name" || $12 != "confidence" ||
	    $14 != "label" || $15 != "values")
		die("unexpected header")
	next
}
{
	if (NF != 15) die("expected 15 columns, got " NF)
	if ($14 == "" || $14 == "-") die("no label for " $10)
	vals = ($15 == "-") ? "" : $15
	if (vals != "" && vals !~ /^-?[0-9]+=[^;=]+(;-?[0-9]+=[^;=]+)*$/) die("values '" vals "': expected N=text;N=text")
	id = "REG_" toupper($10)
	gsub(/[^A-Z0-9_]/, "_", id)
	if (id in seen) die("duplicate name " $10)
	seen[id] = 1
	addr = ($1 == "-") ? -1 : $1 + 0
	if ($1 != "-" && sprintf("0X%04X", addr) != toupper($2)) die("address " $1 " does not match hex " $2)
	cnt = ($3 == "-") ? 0 : $3 + 0
	unit = ($5 == "-") ? "" : $5
	sexp = scale($6)
	row[n] = sprintf("\t[%s] = { %s, %s, %d, %d, %s, %s, %d, %d, %s, %s, %s,\n\t    %s,\n\t    %s, %s,\n\t    %s, %s },",
	    id, id, cstr($10), addr, cnt, ctype($4), cstr(unit), has, sexp, access($8),
	    cstr($7), cstr($9), cstr($11), cconf($12), cstr($13), cstr($14), cstr(vals))
	ids[n] = id
	n++
}
END {
	if (failed) exit 1
	if (out == "ids") {
		print "/* Generated from data/e34-register-map.tsv by src/model/regmap-gen.awk. Do not edit. */"
		print "#ifndef REGMAP_IDS_H\n#define REGMAP_IDS_H\n\nenum reg_id {"
		for (i = 0; i < n; i++) printf("\t%s,\n", ids[i])
		print "\tREG__COUNT\n};\n\n#endif"
	} else {
		print "/* Generated from data/e34-register-map.tsv by src/model/regmap-gen.awk. Do not edit. */"
		print "#include \"regmap.h\"\n\nconst struct reg_def regmap_e34[] = {"
		for (i = 0; i < n; i++) print row[i]
		print "};\n\nconst size_t regmap_e34_len = sizeof regmap_e34 / sizeof regmap_e34[0];"
	}
}
