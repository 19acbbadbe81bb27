module {
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x0000000000000000"
    }
  }
#-}
