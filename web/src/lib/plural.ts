/** Hebrew counts ("לקוח אחד", "2 לקוחות"): the same helper as server texts (core/kernel/plural.ts). */
export * from "../../../core/kernel/plural";
