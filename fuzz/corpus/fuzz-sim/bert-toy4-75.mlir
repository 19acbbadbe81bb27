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
    %8 = sxf.weight "layers.0.attn.o.weight" {format = #sxf.format<csr, value = f32, index = 8>, sparsity = #sxf.sparsity<unstructured, density = 0.25>, sxf.cost = {bytes = 89 : i64, joules = 4.730000e-10 : f64, seconds = 1.0666666666666667E-9 : f64, target = "toy4"}, value = dense_resource<layers.0.attn.o.weight_1> : tensor<8x8xf32>} : tensor<8x8xf32>
    %9 = sxf.weight "layers.0.attn.o.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.attn.o.bias> : tensor<8xf32>} : tensor<8xf32>
    %10 = sxf.weight "layers.0.ln2.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln2.weight> : tensor<8xf32>} : tensor<8xf32>
    %11 = sxf.weight "layers.0.ln2.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln2.bias> : tensor<8xf32>} : tensor<8xf32>
    %12 = sxf.weight "layers.0.ffn.fc2.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ffn.fc2.bias> : tensor<8xf32>} : tensor<8xf32>
    %13 = sxf.weight "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight" {format = #sxf.format<csr, value = f32, index = 8>, value = dense_resource<"layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight"> : tensor<24x8xf32>} : tensor<24x8xf32>
    %14 = sxf.weight "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<"layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias"> : tensor<24xf32>} : tensor<24xf32>
    %15 = sxf.linear %5, %13, %14 {sxft.op = 2 : i64} : (tensor<1x4x8xf32>, tensor<24x8xf32>, tensor<24xf32>) -> tensor<1x4x24xf32>
    %16:3 = sxf.split %15 {sxft.op = 3 : i64} : tensor<1x4x24xf32> -> tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>
    %17 = sxf.attention %16#0, %16#1, %16#2 {head_dim = 4 : i64, heads = 2 : i64, sxft.op = 4 : i64} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    %18 = sxf.linear %17, %8, %9 residual(%5) norm(%6, %7) {norm_epsilon = 9.99999996E-13 : f32, sxft.op = 5 : i64} : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %19 = sxf.weight "layers.0.ffn.fc1.weight" {format = #sxf.format<csr, value = f32, index = 8>, sxf.cost = {bytes = 133 : i64, joules = 6.4499999999999994E-10 : f64, seconds = 1.600000e-09 : f64, target = "toy4"}, value = dense_resource<layers.0.ffn.fc1.weight_2> : tensor<12x8xf32>} : tensor<12x8xf32>
    %20 = sxf.weight "layers.0.ffn.fc1.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ffn.fc1.bias_1> : tensor<12xf32>} : tensor<12xf32>
    %21 = sxf.weight "layers.0.ffn.fc2.weight" {format = #sxf.format<csr, value = f32, index = 8>, sxf.cost = {bytes = 169 : i64, joules = 7.450000e-10 : f64, seconds = 2.1333333333333334E-9 : f64, target = "toy4"}, value = dense_resource<layers.0.ffn.fc2.weight_2> : tensor<8x12xf32>} : tensor<8x12xf32>
    %22 = sxf.linear %18, %19, %20 activation gelu {sxft.op = 6 : i64} : (tensor<1x4x8xf32>, tensor<12x8xf32>, tensor<12xf32>) -> tensor<1x4x12xf32>
    %23 = sxf.linear %22, %21, %12 residual(%18) norm(%10, %11) {norm_epsilon = 9.99999996E-13 : f32, sxft.op = 7 : i64} : (tensor<1x4x12xf32>, tensor<8x12xf32>, tensor<8xf32>, tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    return %23 : tensor<1x4x8xf32>
  }
  sxft.program for @forward attributes {kind = "ipu", sram_per_unit = 131072 : i64, target = "toy4", tokens = 4 : i64, units = 4 : i64} {
    sxft.partition @w0 of "embed.tokens.weight" [16, 8] grid [4, 1] on 0 bytes 128 nnz 32 {format = #sxf.format<dense, value = f32>}
    sxft.partition @w1 of "embed.positions.weight" [4, 8] grid [4, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v0_0 [4, 1] grid [4, 1] on 0 bytes 4 {input = 0 : i64}
    sxft.buffer @v3_1 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.partition @w2 of "embed.ln.weight" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.partition @w3 of "embed.ln.bias" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.buffer @v6_2 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.partition @w4 of "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight" [24, 8] grid [4, 1] on 0 bytes 73 nnz 13 {format = #sxf.format<csr, value = f32, index = 8>, row_cuts = array<i64: 0, 6, 13, 20, 24>}
    sxft.buffer @v6_3 [4, 8] grid [1, 1] on 0 bytes 128 {replicas = 4 : i64}
    sxft.buffer @v16_4 [4, 24] grid [1, 4] on 0 bytes 112 {col_cuts = array<i64: 0, 6, 13, 20, 24>}
    sxft.partition @w5 of "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias" [1, 24] grid [1, 4] on 0 bytes 28 nnz 7 {col_cuts = array<i64: 0, 6, 13, 20, 24>, format = #sxf.format<dense, value = f32>}
    sxft.buffer @v16_5 [4, 24] grid [4, 1] on 0 bytes 96
    sxft.buffer @v17_6 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.buffer @v18_7 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.buffer @v19_8 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.buffer @v17_9 [4, 8] grid [1, 2] on 0 bytes 64
    sxft.buffer @v18_10 [4, 8] grid [1, 2] on 0 bytes 64
    sxft.buffer @v19_11 [4, 8] grid [1, 2] on 0 bytes 64
    sxft.buffer @v20_12 [4, 8] grid [1, 2] on 0 bytes 64
    sxft.partition @w6 of "layers.0.attn.o.weight" [8, 8] grid [2, 2] on 0 bytes 30 nnz 5 {format = #sxf.format<csr, value = f32, index = 8>}
    sxft.buffer @v20_13 [4, 8] grid [1, 2] on 0 bytes 64 {replicas = 2 : i64}
    sxft.buffer @v21_14 [4, 8] grid [1, 2] on 0 bytes 64 {interleave, partial, replicas = 2 : i64}
    sxft.buffer @v21_15 [4, 8] grid [1, 4] on 0 bytes 32
    sxft.partition @w7 of "layers.0.attn.o.bias" [1, 8] grid [1, 4] on 0 bytes 8 nnz 2 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v6_16 [4, 8] grid [1, 4] on 0 bytes 32
    sxft.buffer @v21_17 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.partition @w8 of "layers.0.ln1.weight" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.partition @w9 of "layers.0.ln1.bias" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.buffer @v21_18 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.partition @w10 of "layers.0.ffn.fc1.weight" [12, 8] grid [4, 1] on 0 bytes 40 nnz 7 {format = #sxf.format<csr, value = f32, index = 8>, row_cuts = array<i64: 0, 4, 7, 10, 12>}
    sxft.buffer @v21_19 [4, 8] grid [1, 1] on 0 bytes 128 {replicas = 4 : i64}
    sxft.buffer @v25_20 [4, 12] grid [1, 4] on 0 bytes 64 {col_cuts = array<i64: 0, 4, 7, 10, 12>}
    sxft.partition @w11 of "layers.0.ffn.fc1.bias" [1, 12] grid [1, 4] on 0 bytes 16 nnz 4 {col_cuts = array<i64: 0, 4, 7, 10, 12>, format = #sxf.format<dense, value = f32>}
    sxft.partition @w12 of "layers.0.ffn.fc2.weight" [8, 12] grid [2, 2] on 0 bytes 50 nnz 9 {format = #sxf.format<csr, value = f32, index = 8>}
    sxft.buffer @v25_21 [4, 12] grid [1, 2] on 0 bytes 96 {replicas = 2 : i64}
    sxft.buffer @v26_22 [4, 8] grid [1, 2] on 0 bytes 64 {interleave, partial, replicas = 2 : i64}
    sxft.buffer @v26_23 [4, 8] grid [1, 4] on 0 bytes 32
    sxft.partition @w13 of "layers.0.ffn.fc2.bias" [1, 8] grid [1, 4] on 0 bytes 8 nnz 2 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v21_24 [4, 8] grid [1, 4] on 0 bytes 32
    sxft.buffer @v26_25 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.partition @w14 of "layers.0.ln2.weight" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.partition @w15 of "layers.0.ln2.bias" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.buffer @v26_26 [4, 8] grid [4, 1] on 0 bytes 32 {output = 0 : i64}
    sxft.step 0 attributes {layer = "embed"} {
      sxft.compute "gather" on 0 span 4 @w0 reads [@v0_0, @w1] writes [@v3_1] flops 32 {op = 0 : i64}
    }
    sxft.step 1 attributes {layer = "embed"} {
      sxft.compute "rowwise" on 0 span 4 reads [@v3_1, @w2, @w3] writes [@v6_2] flops 256 {op = 1 : i64}
    }
    sxft.step 2 attributes {layer = "layers.0"} {
      sxft.exchange @v6_2 to @v6_3 bytes 384
      sxft.compute "matmul" on 0 span 4 @w4 reads [@v6_3] writes [@v16_4] flops 384 {op = 2 : i64}
      sxft.compute "epilogue" on 0 span 4 reads [@v16_4, @w5] writes [@v16_4] flops 96 {op = 2 : i64}
    }
    sxft.step 3 attributes {layer = "layers.0"} {
      sxft.exchange @v16_4 to @v16_5 bytes 288
      sxft.compute "rowwise" on 0 span 4 reads [@v16_5] writes [@v17_6, @v18_7, @v19_8] flops 0 {op = 3 : i64}
    }
    sxft.step 4 attributes {layer = "layers.0"} {
      sxft.exchange @v17_6 to @v17_9 bytes 96
      sxft.exchange @v18_7 to @v18_10 bytes 96
      sxft.exchange @v19_8 to @v19_11 bytes 96
      sxft.compute "attention" on 0 span 2 reads [@v17_9, @v18_10, @v19_11] writes [@v20_12] flops 672 {op = 4 : i64}
    }
    sxft.step 5 attributes {layer = "layers.0"} {
      sxft.exchange @v20_12 to @v20_13 bytes 128
      sxft.compute "matmul" on 0 span 4 @w6 reads [@v20_13] writes [@v21_14] flops 128 {op = 5 : i64}
    }
    sxft.step 6 attributes {layer = "layers.0"} {
      sxft.exchange @v21_14 to @v21_15 bytes 128
      sxft.exchange @v6_2 to @v6_16 bytes 96
      sxft.compute "epilogue" on 0 span 4 reads [@v21_15, @w7, @v6_16] writes [@v21_15] flops 64 {op = 5 : i64}
    }
    sxft.step 7 attributes {layer = "layers.0"} {
      sxft.exchange @v21_15 to @v21_17 bytes 96
      sxft.compute "rowwise" on 0 span 4 reads [@v21_17, @w8, @w9] writes [@v21_18] flops 256 {op = 5 : i64}
    }
    sxft.step 8 attributes {layer = "layers.0"} {
      sxft.exchange @v21_18 to @v21_19 bytes 384
      sxft.compute "matmul" on 0 span 4 @w10 reads [@v21_19] writes [@v25_20] flops 192 {op = 6 : i64}
      sxft.compute "epilogue" on 0 span 4 reads [@v25_20, @w11] writes [@v25_20] flops 432 {op = 6 : i64}
    }
    sxft.step 9 attributes {layer = "layers.0"} {
      sxft.exchange @v25_20 to @v25_21 bytes 272
      sxft.compute "matmul" on 0 span 4 @w12 reads [@v25_21] writes [@v26_22] flops 256 {op = 7 : i64}
    }
    sxft.step 10 attributes {layer = "layers.0"} {
      sxft.exchange @v26_22 to @v26_23 bytes 128
      sxft.exchange @v21_18 to @v21_24 bytes 96
      sxft.compute "epilogue" on 0 span 4 reads [@v26_23, @w13, @v21_24] writes [@v26_23] flops 64 {op = 7 : i64}
    }
    sxft.step 11 attributes {layer = "layers.0"} {
      sxft.exchange @v26_23 to @v26_25 bytes 96
      sxft.compute "rowwise" on 0 span 4 reads [@v26_25, @w14, @w15] writes [@v26_26] flops 256 {op = 7 : i64}
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
      layers.0.attn.o.weight_1: "0x0400000000000000000000007CDAE73C0000000000000000000000000000000000000000C52904BDC71BC1BC00000000000000000B7C7CBD0000000000000000E93C38BD00000000000000000000000000000000E533373D000000000000000000000000000000000000000015B04E3D000000007E38DF3D00000000530146BD00000000E18FC53C000000000000000000000000FE8A093D000000000000000000000000000000006A4B71BD0000000000000000000000004837F9BC00000000A3890BBD0000000000000000B6BF4D3D000000000000000000000000000000000000000000000000000000000000000000000000F160543D000000000000000000000000",
      layers.0.attn.o.bias: "0x040000006947923CB9F8123CE4A138BB18892339B06C0BBC38E60EBD4AE075BC3C0FBFBC",
      layers.0.ln2.weight: "0x040000003F13803F36877E3F532D803F36E6823F24737C3F95EF813F2F2C813F9A4E7D3F",
      layers.0.ln2.bias: "0x04000000F426543C62FC2CBDAC6B903CD60B8F3CD5351F3C4B60A63C28F6463CF8B91EBC",
      layers.0.ffn.fc2.bias: "0x04000000789387BB5FA94C3DF40A143D03B8753CAD7D203B3B78403C2CC02CBC5EDAA8B9",
      "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight": "0x04000000A3E4EA3C00000000059CF23C00000000D0C23D3D00000000000000000000000000000000000000000000000000000000C2BF04BD000000000000000000000000000000008BC4183D0000000000000000000000000000000000000000000000000000000000000000000000000000000070D2AB3D000000006191F03C0000000063A5053D182DED3C0000000000000000A8B9FE3DDE6C203D000000000000000000000000000000000000000000000000E09E74BD000000000000000005A010BD00000000000000000000000000000000D5104BBE0000000000000000000000009426173D0000000000000000000000001E2D54BE000000000000000000000000000000000000000000000000000000000D5A0BBE0000000000000000000000000000000000000000000000008C9E0E3DACBCB3BD00000000CD1EF53CE0D8E73C00000000B75BC5BC000000000000000024E29C3D00000000000000000000000000000000CB64C23C00000000000000004CB2D5BD000000000000000000000000000000000000000000000000000000000000000000000000000000006057DF3C000000000000000000000000E0E1E43CAA84C93D808EF5BCD889C8BC00000000DE8FBCBC0000000011DFF1BC00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000B673E3BC00000000000000000000000000000000000000000000000049B1093D00000000000000006680813D0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000E9561CBD0000000000000000000000009A6E21BD00000000B97AD1BC0307CB3C0000000000000000000000000000000079E643BD000000000000000000000000C6C8CEBC22EFF63C0000000000000000B31346BD1EEC0A3D00000000000000000000000000000000DDB11C3D6F5E3F3D000000000000000000000000896F533D000000000000000000000000000000000A10AE3D0000000000000000000000000000000000000000",
      "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias": "0x040000004DE83FBB8C982A3CB19603BD215687BCA3B33CBD85BBE3BC948581BCA702EE3B8249D03C7AD70D3C8CBB64BBEC28113C048212BC70900BBD84F1BEBC2A22ABBB3C17D6BB01558FBCF69B103DD89C4E3C0795123A313F32BC75C1A23B637C80BC",
      layers.0.ffn.fc1.weight_2: "0x04000000B918653D0000000000000000000000000000000000000000A276C9BD000000000000000000000000000000000000000000000000000000002FCF1CBE00000000000000000000000000000000000000000000000000000000C82A1CBE000000002C5928BD000000000000000075B962BD0000000000000000F0FA833D000000000000000000000000000000005691043D0000000000000000044B29BDBB0B293D00000000000000000000000000000000C7B0173D000000000000000000000000000000000000000000000000000000006DAE16BDE02E1A3DB1F772BE00000000000000003619443D000000000000000000000000000000009E1862BE00000000000000000000000000000000000000000000000000000000059A52BD0000000000000000000000001B7E063D00000000000000000000000037A2E6BDFF21083D5A4B05BD00000000000000000000000000000000000000008CB61CBD000000000000000000000000000000000000000000000000A2614C3DD8885E3D00000000",
      layers.0.ffn.fc1.bias_1: "0x0400000005F8CBBC94E5EEBB7CE39EBBD98F52BB2C94883C32EA26BB97D9F9BB41F7CEBC48CFC6BC26CB19BC9EAC3CBB6EA6A7BC",
      layers.0.ffn.fc2.weight_2: "0x0400000000000000000000000000000000000000000000000000000000000000000000000000000000000000A9DE2DBD00000000000000008462CEBC0000000000000000000000002CD7293D76DF1FBD00000000BFD6D8BC61431BBD00000000282922BD00000000000000000000000092D82CBD00000000000000000000000000000000000000003812163DBCF0A53D0000000052C268BD0000000000EDCE3C00000000B84C12BDB1DB5B3D000000002A51083D0000000000000000000000000000000000000000544BF4BC0000000000000000064800BD000000002A47D5BC000000000000000000000000A4C87B3E00000000000000000000000000000000B80D003D54FCF5BC00000000000000000000000000000000000000000C0E77BE0000000000000000119A0A3DDFD7FDBC00000000000000000000000029E5883DB9B1323D00000000C010CC3C1C53FF3D000000000000000000000000F191D6BC0000000000000000D3B9E2BC000000000000000000000000615A213D59A211BD00000000"
    }
  }
#-}

