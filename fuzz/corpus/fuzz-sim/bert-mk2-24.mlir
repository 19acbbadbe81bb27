module attributes {sxf.model = "tiny"} {
  func.func @forward(%arg0: tensor<1x4xi32> {sxf.name = "input_ids"}) -> (tensor<1x4x8xf32> {sxf.name = "hidden_states"}) {
    %0 = sxf.weight "embed.tokens.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<embed.tokens.weight> : tensor<16x8xf32>} : tensor<16x8xf32>
    %1 = sxf.weight "embed.positions.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<embed.positions.weight> : tensor<4x8xf32>} : tensor<4x8xf32>
    %2 = sxf.embedding %arg0, %0, %1 {sxft.op = 0 : i64} : (tensor<1x4xi32>, tensor<16x8xf32>, tensor<4x8xf32>) -> tensor<1x4x8xf32>
    %3 = sxf.weight "embed.ln.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<embed.ln.weight> : tensor<8xf32>} : tensor<8xf32>
    %4 = sxf.weight "embed.ln.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<embed.ln.bias> : tensor<8xf32>} : tensor<8xf32>
    %5 = sxf.layer_norm %2, %3, %4 {epsilon = 9.99999996E-13 : f32, sxft.op = 1 : i64} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %6 = sxf.weight "layers.0.ln1.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln1.weight> : tensor<8xf32>} : tensor<8xf32>
    %7 = sxf.weight "layers.0.ln1.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln1.bias> : tensor<8xf32>} : tensor<8xf32>
    %8 = sxf.weight "layers.0.attn.o.weight" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<nm[2, 4]>, sxf.cost = {bytes = 256 : i64, joules = 8.704000e-10 : f64, seconds = 1.3653333333333333E-11 : f64, target = "ipu-mk2"}, value = dense_resource<layers.0.attn.o.weight_1> : tensor<8x8xf32>} : tensor<8x8xf32>
    %9 = sxf.weight "layers.0.attn.o.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.attn.o.bias> : tensor<8xf32>} : tensor<8xf32>
    %10 = sxf.weight "layers.0.ln2.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln2.weight> : tensor<8xf32>} : tensor<8xf32>
    %11 = sxf.weight "layers.0.ln2.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln2.bias> : tensor<8xf32>} : tensor<8xf32>
    %12 = sxf.weight "layers.0.ffn.fc1.weight" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<nm[2, 4]>, sxf.cost = {bytes = 512 : i64, joules = 1.6767999999999998E-9 : f64, seconds = 2.7306666666666666E-11 : f64, target = "ipu-mk2"}, value = dense_resource<layers.0.ffn.fc1.weight_1> : tensor<16x8xf32>} : tensor<16x8xf32>
    %13 = sxf.weight "layers.0.ffn.fc1.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ffn.fc1.bias> : tensor<16xf32>} : tensor<16xf32>
    %14 = sxf.weight "layers.0.ffn.fc2.weight" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<nm[2, 4]>, sxf.cost = {bytes = 512 : i64, joules = 1.6767999999999998E-9 : f64, seconds = 2.7306666666666666E-11 : f64, target = "ipu-mk2"}, value = dense_resource<layers.0.ffn.fc2.weight_1> : tensor<8x16xf32>} : tensor<8x16xf32>
    %15 = sxf.weight "layers.0.ffn.fc2.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ffn.fc2.bias> : tensor<8xf32>} : tensor<8xf32>
    %16 = sxf.weight "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<"layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight"> : tensor<24x8xf32>} : tensor<24x8xf32>
    %17 = sxf.weight "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<"layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias"> : tensor<24xf32>} : tensor<24xf32>
    %18 = sxf.linear %5, %16, %17 {sxft.op = 2 : i64} : (tensor<1x4x8xf32>, tensor<24x8xf32>, tensor<24xf32>) -> tensor<1x4x24xf32>
    %19:3 = sxf.split %18 {sxft.op = 3 : i64} : tensor<1x4x24xf32> -> tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>
    %20 = sxf.attention %19#0, %19#1, %19#2 {head_dim = 4 : i64, heads = 2 : i64, sxft.op = 4 : i64} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    %21 = sxf.linear %20, %8, %9 residual(%5) norm(%6, %7) {norm_epsilon = 9.99999996E-13 : f32, sxft.op = 5 : i64} : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %22 = sxf.linear %21, %12, %13 activation gelu {sxft.op = 6 : i64} : (tensor<1x4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<1x4x16xf32>
    %23 = sxf.linear %22, %14, %15 residual(%21) norm(%10, %11) {norm_epsilon = 9.99999996E-13 : f32, sxft.op = 7 : i64} : (tensor<1x4x16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    return %23 : tensor<1x4x8xf32>
  }
  sxft.program for @forward attributes {kind = "ipu", sram_per_unit = 638976 : i64, target = "ipu-mk2", tokens = 4 : i64, units = 1472 : i64} {
    sxft.partition @w0 of "embed.tokens.weight" [16, 8] grid [16, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>}
    sxft.partition @w1 of "embed.positions.weight" [4, 8] grid [4, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v0_0 [4, 1] grid [4, 1] on 0 bytes 4 {input = 0 : i64}
    sxft.buffer @v3_1 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.buffer @v3_2 [4, 8] grid [4, 1] on 4 bytes 32
    sxft.partition @w2 of "embed.ln.weight" [1, 8] grid [1, 1] on 4 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.partition @w3 of "embed.ln.bias" [1, 8] grid [1, 1] on 4 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.buffer @v6_3 [4, 8] grid [4, 1] on 4 bytes 32
    sxft.partition @w4 of "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight" [24, 8] grid [24, 8] on 8 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v6_4 [4, 8] grid [1, 8] on 8 bytes 16 {replicas = 24 : i64}
    sxft.buffer @v19_5 [4, 24] grid [1, 24] on 8 bytes 16 {interleave, partial, replicas = 8 : i64}
    sxft.buffer @v19_6 [4, 24] grid [1, 24] on 8 bytes 16
    sxft.partition @w5 of "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias" [1, 24] grid [1, 24] on 8 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v19_7 [4, 24] grid [4, 1] on 32 bytes 96
    sxft.buffer @v20_8 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.buffer @v21_9 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.buffer @v22_10 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.buffer @v20_11 [4, 8] grid [1, 2] on 32 bytes 64
    sxft.buffer @v21_12 [4, 8] grid [1, 2] on 32 bytes 64
    sxft.buffer @v22_13 [4, 8] grid [1, 2] on 32 bytes 64
    sxft.buffer @v23_14 [4, 8] grid [1, 2] on 32 bytes 64
    sxft.partition @w6 of "layers.0.attn.o.weight" [8, 8] grid [8, 8] on 32 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v23_15 [4, 8] grid [1, 8] on 32 bytes 16 {replicas = 8 : i64}
    sxft.buffer @v24_16 [4, 8] grid [1, 8] on 32 bytes 16 {interleave, partial, replicas = 8 : i64}
    sxft.buffer @v24_17 [4, 8] grid [1, 8] on 32 bytes 16
    sxft.partition @w7 of "layers.0.attn.o.bias" [1, 8] grid [1, 8] on 32 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v6_18 [4, 8] grid [1, 8] on 32 bytes 16
    sxft.buffer @v24_19 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.partition @w8 of "layers.0.ln1.weight" [1, 8] grid [1, 1] on 32 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.partition @w9 of "layers.0.ln1.bias" [1, 8] grid [1, 1] on 32 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.buffer @v24_20 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.partition @w10 of "layers.0.ffn.fc1.weight" [16, 8] grid [16, 8] on 36 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v24_21 [4, 8] grid [1, 8] on 36 bytes 16 {replicas = 16 : i64}
    sxft.buffer @v25_22 [4, 16] grid [1, 16] on 36 bytes 16 {interleave, partial, replicas = 8 : i64}
    sxft.buffer @v25_23 [4, 16] grid [1, 16] on 36 bytes 16
    sxft.partition @w11 of "layers.0.ffn.fc1.bias" [1, 16] grid [1, 16] on 36 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.partition @w12 of "layers.0.ffn.fc2.weight" [8, 16] grid [8, 16] on 52 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v25_24 [4, 16] grid [1, 16] on 52 bytes 16 {replicas = 8 : i64}
    sxft.buffer @v26_25 [4, 8] grid [1, 8] on 52 bytes 16 {interleave, partial, replicas = 16 : i64}
    sxft.buffer @v26_26 [4, 8] grid [1, 8] on 52 bytes 16
    sxft.partition @w13 of "layers.0.ffn.fc2.bias" [1, 8] grid [1, 8] on 52 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v24_27 [4, 8] grid [1, 8] on 52 bytes 16
    sxft.buffer @v26_28 [4, 8] grid [4, 1] on 52 bytes 32
    sxft.partition @w14 of "layers.0.ln2.weight" [1, 8] grid [1, 1] on 52 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.partition @w15 of "layers.0.ln2.bias" [1, 8] grid [1, 1] on 52 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.buffer @v26_29 [4, 8] grid [4, 1] on 52 bytes 32 {output = 0 : i64}
    sxft.step 0 attributes {layer = "embed"} {
      sxft.compute "gather" on 0 span 4 @w0 reads [@v0_0, @w1] writes [@v3_1] flops 32 {op = 0 : i64}
    }
    sxft.step 1 attributes {layer = "embed"} {
      sxft.exchange @v3_1 to @v3_2 bytes 128
      sxft.compute "rowwise" on 4 span 4 reads [@v3_2, @w2, @w3] writes [@v6_3] flops 256 {op = 1 : i64}
    }
    sxft.step 2 attributes {layer = "layers.0"} {
      sxft.exchange @v6_3 to @v6_4 bytes 3072
      sxft.compute "matmul" on 8 span 192 @w4 reads [@v6_4] writes [@v19_5] flops 768 {op = 2 : i64}
    }
    sxft.step 3 attributes {layer = "layers.0"} {
      sxft.exchange @v19_5 to @v19_6 bytes 3056
      sxft.compute "epilogue" on 8 span 24 reads [@v19_6, @w5] writes [@v19_6] flops 96 {op = 2 : i64}
    }
    sxft.step 4 attributes {layer = "layers.0"} {
      sxft.exchange @v19_6 to @v19_7 bytes 384
      sxft.compute "rowwise" on 32 span 4 reads [@v19_7] writes [@v20_8, @v21_9, @v22_10] flops 0 {op = 3 : i64}
    }
    sxft.step 5 attributes {layer = "layers.0"} {
      sxft.exchange @v20_8 to @v20_11 bytes 96
      sxft.exchange @v21_9 to @v21_12 bytes 96
      sxft.exchange @v22_10 to @v22_13 bytes 96
      sxft.compute "attention" on 32 span 2 reads [@v20_11, @v21_12, @v22_13] writes [@v23_14] flops 672 {op = 4 : i64}
    }
    sxft.step 6 attributes {layer = "layers.0"} {
      sxft.exchange @v23_14 to @v23_15 bytes 1008
      sxft.compute "matmul" on 32 span 64 @w6 reads [@v23_15] writes [@v24_16] flops 256 {op = 5 : i64}
    }
    sxft.step 7 attributes {layer = "layers.0"} {
      sxft.exchange @v24_16 to @v24_17 bytes 1008
      sxft.exchange @v6_3 to @v6_18 bytes 128
      sxft.compute "epilogue" on 32 span 8 reads [@v24_17, @w7, @v6_18] writes [@v24_17] flops 64 {op = 5 : i64}
    }
    sxft.step 8 attributes {layer = "layers.0"} {
      sxft.exchange @v24_17 to @v24_19 bytes 112
      sxft.compute "rowwise" on 32 span 4 reads [@v24_19, @w8, @w9] writes [@v24_20] flops 256 {op = 5 : i64}
    }
    sxft.step 9 attributes {layer = "layers.0"} {
      sxft.exchange @v24_20 to @v24_21 bytes 2048
      sxft.compute "matmul" on 36 span 128 @w10 reads [@v24_21] writes [@v25_22] flops 512 {op = 6 : i64}
    }
    sxft.step 10 attributes {layer = "layers.0"} {
      sxft.exchange @v25_22 to @v25_23 bytes 2032
      sxft.compute "epilogue" on 36 span 16 reads [@v25_23, @w11] writes [@v25_23] flops 576 {op = 6 : i64}
    }
    sxft.step 11 attributes {layer = "layers.0"} {
      sxft.exchange @v25_23 to @v25_24 bytes 2048
      sxft.compute "matmul" on 52 span 128 @w12 reads [@v25_24] writes [@v26_25] flops 512 {op = 7 : i64}
    }
    sxft.step 12 attributes {layer = "layers.0"} {
      sxft.exchange @v26_25 to @v26_26 bytes 2032
      sxft.exchange @v24_20 to @v24_27 bytes 128
      sxft.compute "epilogue" on 52 span 8 reads [@v26_26, @w13, @v24_27] writes [@v26_26] flops 64 {op = 7 : i64}
    }
    sxft.step 13 attributes {layer = "layers.0"} {
      sxft.exchange @v26_26 to @v26_28 bytes 112
      sxft.compute "rowwise" on 52 span 4 reads [@v26_28, @w14, @w15] writes [@v26_29] flops 256 {op = 7 : i64}
    }
  }
}

{-#
  dialect_resources: {
    builtin: {
      embed.tokens.weight: "0x04000000DBB93DBC37D368BC67FCC83C2EEC79BC5E3CD23B0BC9973BB7F4083DC6FACB3CA999A6BCD4E54ABC5654DEBCA4CD173AB4C2813CD541D2BCCE9A003D164D4FBEC2B278BB4BCA2D3C099D8FBC55ECB0BC776114BDE8914E3B47FB873B667BE63D741BDD3BE142833C97F54E3C68E4C9BC868CA5BB9A803D3BE1873CBCF01D843EFDC399BB4CEE45BBFAECFE3C8927183D0749AFBB90D303BC60BFF0BB44856A3D5FD410BD41CD1BBC49982F3C6B96443C777E70BC303D723C90B877BBE62B20BCC19650BCA7A0DFBC674710BD1FE1B5BC711D973CA2723FBC712B21BCBE2E7ABD7155373CFB7396BCD1850BBCCDDDC2BBA7F60439D39333BCE0C4F2BBEF4D04BE3DF99B3C953E413CD59622BC3856873871DDB4BC07F6943C9DC163BC208FE13D8E23513C10CC913C8EA4A13CFF8314BDFDA8AB3CF8B5B6BB6CECDD3CA3C0053DCF2F2C3D7F94513C339F2E3CDB9A5B3924BB89BC90AFA4BB05D7733C3DD11DBEE1B98D3CB29ACBBCBA7AE5BC9994A5BCE94F3DBC7B85453C8C223BBB02A26CBC635BE73C7B1C2BBD73F729BD55CCF13B938FA3BB1B1E8CBC2FD3C5BCC0DD4EBE1BCD2ABB403DF53CAFE7E1BC2561AA3AFF46073A32A8593CB040BFBC4E3E1C3E679E46BCEE6D163CAD33CEBB05FCC43C79B92CBC6893B3BC1CC9C93CF4C429BE49A33DBC74B8983CE0F1503C2BB2073D2A0234BC5033DD3C2519DCBC74F1B6BD",
      embed.positions.weight: "0x04000000A073F53B92C47F3CE81C803C9B249FBDF5FBD6BB7C93253C6B8C333CD9C5613ABC8F20BC405D6BBCF405653C9FF72A3E160D2CBD375332BC99771CBC58356CBC181C0B3DC1E9D4BB4F5FDABC796072BD73CE9C3C15C060BCF7F83B3DD366A8BC501C2FB9CDB424BBBE15ECBC9076BEBDF51C793C6760F03BD49149BD1EAE2ABB",
      embed.ln.weight: "0x040000004C877C3F487C7C3F3510853FCE087F3F99CA863F9A71823F098E803FE78A823F",
      embed.ln.bias: "0x0400000081CAA9BCB33ECDBC9A76AA3CE6B9D737A43707BD44DE0C3C4D8AF03A2F37A03B",
      layers.0.ln1.weight: "0x04000000ADD4823F09607D3F2B9D7C3F96C47F3FC90D803FD431813F59DE7B3F59767B3F",
      layers.0.ln1.bias: "0x04000000A972C9BC7CA7EE3BDD960EBDBF8924BCAE6CA4BC750969BC11A02A3C8FB124BC",
      layers.0.attn.o.weight_1: "0x040000000000000060157C3C7CDAE73C000000006A8E1B3CC382773C0000000000000000C52904BDC71BC1BC00000000000000000B7C7CBD0000000000000000E93C38BD000000000000000050441FBC5FCA9ABCE533373DCCFCA8BC0000000000000000000000000000000015B04E3D7049B23C7E38DF3D00000000530146BD00000000E18FC53C00000000000000008ED03DBCFE8A093DFEC8513C00000000000000000C63913C6A4B71BD0000000000000000000000004837F9BC00000000A3890BBD0000000000000000B6BF4D3D30F5E8BB000000002ED8B0BC80358F3C0000000000000000827942BC00000000CB98B83CF160543D00000000161AA33C00000000",
      layers.0.attn.o.bias: "0x040000006947923CB9F8123CE4A138BB18892339B06C0BBC38E60EBD4AE075BC3C0FBFBC",
      layers.0.ln2.weight: "0x040000003F13803F36877E3F532D803F36E6823F24737C3F95EF813F2F2C813F9A4E7D3F",
      layers.0.ln2.bias: "0x04000000F426543C62FC2CBDAC6B903CD60B8F3CD5351F3C4B60A63C28F6463CF8B91EBC",
      layers.0.ffn.fc1.weight_1: "0x04000000F9FBD8BC000000000000000017BF2BBC00000000FA8D403DB3A6F0BD00000000B918653D000000009726FA3C0000000000000000E090A73CA276C9BD000000000000000000000000C20DA1BC5771D43C000000000E836E3C2FCF1CBE00000000ACC537BCAA9B8D3C000000000000000000000000A5C028BCC82A1CBE000000002C5928BD000000000000000075B962BD0000000000000000F0FA833DAB50423C000000006BAE05BD00000000015D1BBD00000000610D273CEB0411BD000000000000000000000000F36F93BC5691043D0000000000000000044B29BDBB0B293D00000000B8FE873CF4EFD9BC00000000C7B0173D8449E63C000000000000000000000000CAE7FABC0000000076AFC2BC00000000E02E1A3DB1F772BE00000000E95A3F3C0000000083968EBC0000000000000000932701BD00785FBD00000000000000003619443D5E06983C0000000000000000E94DDF3C9E1862BE0000000000000000D11D003CB363983C00000000D6FC59BC00000000059A52BD0000000000000000605BE13C1B7E063D00000000000000000000000037A2E6BDFF21083D5A4B05BD0B5DBFBC0000000000000000F8B7E83C000000008CB61CBD00000000000000007FD38ABC000000003F3F5ABC0000000000000000C4A8843DE8B88B3C0000000027EBA93CCCC5DC3C0000000000000000A2614C3DD8885E3D00000000",
      layers.0.ffn.fc1.bias: "0x040000009259C43A05F8CBBC94E5EEBB7CE39EBBD98F52BB2E8AB93C2C94883C32EA26BB97D9F9BB951511BC41F7CEBC48CFC6BC26CB19BC9EAC3CBBB70A443C6EA6A7BC",
      layers.0.ffn.fc2.weight_1: "0x0400000038D7213C000000005278CB3B00000000000000004C61C53C00000000AC828C3C000000007AD3683C43E587BC0000000000000000A9DE2DBD49C4263C0000000000000000000000008462CEBC8936B2BC00000000A5E89C3C000000002CD7293D76DF1FBD0000000000000000BFD6D8BC61431BBD0000000000000000282922BD00000000C863A43C00000000FE9BB2BC92D82CBDA200FD3B0000000000000000000000002AA12F3C21DB3F3C000000003812163DBCF0A53D00000000000000000000000052C268BD0000000000EDCE3C0000000000000000B84C12BDB1DB5B3D00000000000000002A51083D0ED49EBC0000000092B18FBC25A9633C000000000489553C00000000544BF4BC000000000000000000000000064800BDEDC19E3C2A47D5BC00000000000000007779BB3C3A56AB3CA4C87B3E000000000000000000000000DE30943C00000000D76D783CB80D003D0000000054FCF5BC0000000018CC3C3C0000000018C15E3C00000000000000000C0E77BE000000000A7ABE3C0000000000000000119A0A3DDFD7FDBC000000004370C0BCF317933C0000000029E5883D00000000B9B1323D00000000C010CC3C1C53FF3D0000000000000000A15162BC0000000000000000F191D6BC11FB9B3C0000000000000000D3B9E2BC313F503C00000000000000001CCE4BBC615A213D59A211BD0000000000000000",
      layers.0.ffn.fc2.bias: "0x04000000789387BB5FA94C3DF40A143D03B8753CAD7D203B3B78403C2CC02CBC5EDAA8B9",
      "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight": "0x04000000A3E4EA3C00000000059CF23C00000000D0C23D3D637CD23C000000000000000000000000828FAE3CDC7B46BC00000000C2BF04BD0000000000000000D6CBE53C966DEA3C8BC4183D000000000000000000000000A67D9E3C00000000F6C6DC3CBED793BB1767A33C000000000000000070D2AB3D000000006191F03C0000000063A5053D182DED3C0000000000000000A8B9FE3DDE6C203D0000000000000000A601A6BC00000000CA6A6D3C00000000E09E74BD000000000000000005A010BDCD60213C00000000000000006D64453CD5104BBE8C8BDD3C00000000000000009426173D0000000000000000F7C9D2BC1E2D54BE00000000C21CABBC0000000000000000C9424DBC00000000BCEB5DBC0D5A0BBEEB13823C00000000000000000000000089EE36BC000000008C9E0E3DACBCB3BD00000000CD1EF53C0000000000000000B75BC5BC00000000C7AC8E3C24E29C3D0000000000000000002FBA3CD688AABBCB64C23C00000000000000004CB2D5BD71297BBC00000000000000000FDE4CBC000000005064843C00000000F6FAA63C00000000000000006057DF3C00000000000000009E507DBCE0E1E43CAA84C93D808EF5BC0000000000000000DE8FBCBC0000000011DFF1BC000000006A93A23C0000000000000000EB77B0BCB74D8FBC0000000000000000DBDE8A3C08D38DBC00000000E18D96BC00000000B673E3BC00000000000000007587A03C000000006AF1A1BC0000000049B1093D00000000C4DC473C6680813D00000000E6892DBC0000000000000000304A8DBC0000000000000000A20A5ABC20A386BCA8427BBC00000000E9561CBD0000000000000000000000009A6E21BDBE2A21BCB97AD1BC0307CB3C000000000000000026B498BC0000000079E643BD000000000000000000000000C6C8CEBC22EFF63C0000000000000000B31346BD1EEC0A3D323D5FBCC80B95BC0000000000000000DDB11C3D6F5E3F3D000000000000000000000000896F533D000000008F45853C00000000000000000A10AE3D6BA6C43C0000000017FC433C68FC6CBC00000000",
      "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias": "0x040000004DE83FBB8C982A3CB19603BD215687BCA3B33CBD85BBE3BC948581BCA702EE3B8249D03C7AD70D3C8CBB64BBEC28113C048212BC70900BBD84F1BEBC2A22ABBB3C17D6BB01558FBCF69B103DD89C4E3C0795123A313F32BC75C1A23B637C80BC"
    }
  }
#-}

