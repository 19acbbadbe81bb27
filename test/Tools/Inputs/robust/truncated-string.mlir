module {
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x0400