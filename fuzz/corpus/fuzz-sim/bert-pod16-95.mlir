module attributes {sxf.model = "tiny"} {
  func.func @forward(%arg0: tensor<1x4xi32> {sxf.name = "input_ids"}) -> (tensor<1x4x8xf32> {sxf.name = "hidden_states"}) {
    %0 = sxf.weight "embed.tokens.weight" {format = #sxf.format<dense, value = f16>, value = dense_resource<embed.tokens.weight> : tensor<16x8xf32>} : tensor<16x8xf32>
    %1 = sxf.weight "embed.positions.weight" {format = #sxf.format<dense, value = f16>, value = dense_resource<embed.positions.weight> : tensor<4x8xf32>} : tensor<4x8xf32>
    %2 = sxf.embedding %arg0, %0, %1 {sxft.op = 0 : i64} : (tensor<1x4xi32>, tensor<16x8xf32>, tensor<4x8xf32>) -> tensor<1x4x8xf32>
    %3 = sxf.weight "embed.ln.weight" {format = #sxf.format<dense, value = f16>, value = dense_resource<embed.ln.weight> : tensor<8xf32>} : tensor<8xf32>
    %4 = sxf.weight "embed.ln.bias" {format = #sxf.format<dense, value = f16>, value = dense_resource<embed.ln.bias> : tensor<8xf32>} : tensor<8xf32>
    %5 = sxf.layer_norm %2, %3, %4 {epsilon = 9.99999996E-13 : f32, sxft.op = 1 : i64} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %6 = sxf.weight "layers.0.ln1.weight" {format = #sxf.format<dense, value = f16>, value = dense_resource<layers.0.ln1.weight> : tensor<8xf32>} : tensor<8xf32>
    %7 = sxf.weight "layers.0.ln1.bias" {format = #sxf.format<dense, value = f16>, value = dense_resource<layers.0.ln1.bias> : tensor<8xf32>} : tensor<8xf32>
    %8 = sxf.weight "layers.0.attn.o.weight" {format = #sxf.format<coo, value = f16, index = 8>, sparsity = #sxf.sparsity<unstructured, density = 0.046875>, sxf.cost = {bytes = 12 : i64, joules = 1.628000e-10 : f64, seconds = 3.5263157894736842E-13 : f64, target = "ipu-pod16"}, value = dense_resource<layers.0.attn.o.weight_1> : tensor<8x8xf32>} : tensor<8x8xf32>
    %9 = sxf.weight "layers.0.attn.o.bias" {format = #sxf.format<dense, value = f16>, value = dense_resource<layers.0.attn.o.bias> : tensor<8xf32>} : tensor<8xf32>
    %10 = sxf.weight "layers.0.ln2.weight" {format = #sxf.format<dense, value = f16>, value = dense_resource<layers.0.ln2.weight> : tensor<8xf32>} : tensor<8xf32>
    %11 = sxf.weight "layers.0.ln2.bias" {format = #sxf.format<dense, value = f16>, value = dense_resource<layers.0.ln2.bias> : tensor<8xf32>} : tensor<8xf32>
    %12 = sxf.weight "layers.0.ffn.fc2.bias" {format = #sxf.format<dense, value = f16>, value = dense_resource<layers.0.ffn.fc2.bias> : tensor<8xf32>} : tensor<8xf32>
    %13 = sxf.weight "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight" {format = #sxf.format<coo, value = f16, index = 8>, value = dense_resource<"layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight"> : tensor<24x8xf32>} : tensor<24x8xf32>
    %14 = sxf.weight "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias" {format = #sxf.format<dense, value = f16>, value = dense_resource<"layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias"> : tensor<24xf32>} : tensor<24xf32>
    %15 = sxf.linear %5, %13, %14 {sxft.op = 2 : i64} : (tensor<1x4x8xf32>, tensor<24x8xf32>, tensor<24xf32>) -> tensor<1x4x24xf32>
    %16:3 = sxf.split %15 {sxft.op = 3 : i64} : tensor<1x4x24xf32> -> tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>
    %17 = sxf.attention %16#0, %16#1, %16#2 {head_dim = 4 : i64, heads = 2 : i64, sxft.op = 4 : i64} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    %18 = sxf.linear %17, %8, %9 residual(%5) norm(%6, %7) {norm_epsilon = 9.99999996E-13 : f32, sxft.op = 5 : i64} : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %19 = sxf.weight "layers.0.ffn.fc1.weight" {format = #sxf.format<coo, value = f16, index = 8>, sxf.cost = {bytes = 4 : i64, joules = 9.9599999999999997E-11 : f64, seconds = 2.3684210526315791E-13 : f64, target = "ipu-pod16"}, value = dense_resource<layers.0.ffn.fc1.weight_2> : tensor<3x8xf32>} : tensor<3x8xf32>
    %20 = sxf.weight "layers.0.ffn.fc1.bias" {format = #sxf.format<dense, value = f16>, value = dense_resource<layers.0.ffn.fc1.bias_1> : tensor<3xf32>} : tensor<3xf32>
    %21 = sxf.weight "layers.0.ffn.fc2.weight" {format = #sxf.format<dense, value = f16>, sxf.cost = {bytes = 48 : i64, joules = 3.424000e-10 : f64, seconds = 2.9473684210526314E-13 : f64, target = "ipu-pod16"}, value = dense_resource<layers.0.ffn.fc2.weight_2> : tensor<8x3xf32>} : tensor<8x3xf32>
    %22 = sxf.linear %18, %19, %20 activation gelu {sxft.op = 6 : i64} : (tensor<1x4x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<1x4x3xf32>
    %23 = sxf.linear %22, %21, %12 residual(%18) norm(%10, %11) {norm_epsilon = 9.99999996E-13 : f32, sxft.op = 7 : i64} : (tensor<1x4x3xf32>, tensor<8x3xf32>, tensor<8xf32>, tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    return %23 : tensor<1x4x8xf32>
  }
  sxft.program for @forward attributes {kind = "ipu", sram_per_unit = 638976 : i64, target = "ipu-pod16", tokens = 4 : i64, units = 23552 : i64} {
    sxft.partition @w0 of "embed.tokens.weight" [16, 8] grid [16, 1] on 0 bytes 16 nnz 8 {format = #sxf.format<dense, value = f16>}
    sxft.partition @w1 of "embed.positions.weight" [4, 8] grid [4, 1] on 0 bytes 16 nnz 8 {format = #sxf.format<dense, value = f16>}
    sxft.buffer @v0_0 [4, 1] grid [4, 1] on 0 bytes 4 {input = 0 : i64}
    sxft.buffer @v3_1 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.buffer @v3_2 [4, 8] grid [4, 1] on 4 bytes 32
    sxft.partition @w2 of "embed.ln.weight" [1, 8] grid [1, 1] on 4 bytes 16 nnz 8 {format = #sxf.format<dense, value = f16>, replicas = 4 : i64}
    sxft.partition @w3 of "embed.ln.bias" [1, 8] grid [1, 1] on 4 bytes 16 nnz 8 {format = #sxf.format<dense, value = f16>, replicas = 4 : i64}
    sxft.buffer @v6_3 [4, 8] grid [4, 1] on 4 bytes 32
    sxft.partition @w4 of "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight" [24, 8] grid [9, 8] on 8 bytes 4 nnz 1 {format = #sxf.format<coo, value = f16, index = 8>, row_cuts = array<i64: 0, 6, 7, 8, 11, 13, 17, 22, 23, 24>}
    sxft.buffer @v6_4 [4, 8] grid [1, 8] on 8 bytes 16 {replicas = 9 : i64}
    sxft.buffer @v16_5 [4, 24] grid [1, 9] on 8 bytes 96 {col_cuts = array<i64: 0, 6, 7, 8, 11, 13, 17, 22, 23, 24>, interleave, partial, replicas = 8 : i64}
    sxft.buffer @v16_6 [4, 24] grid [1, 24] on 8 bytes 16
    sxft.partition @w5 of "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias" [1, 24] grid [1, 24] on 8 bytes 2 nnz 1 {format = #sxf.format<dense, value = f16>}
    sxft.buffer @v16_7 [4, 24] grid [4, 1] on 32 bytes 96
    sxft.buffer @v17_8 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.buffer @v18_9 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.buffer @v19_10 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.buffer @v17_11 [4, 8] grid [1, 2] on 32 bytes 64
    sxft.buffer @v18_12 [4, 8] grid [1, 2] on 32 bytes 64
    sxft.buffer @v19_13 [4, 8] grid [1, 2] on 32 bytes 64
    sxft.buffer @v20_14 [4, 8] grid [1, 2] on 32 bytes 64
    sxft.partition @w6 of "layers.0.attn.o.weight" [8, 8] grid [3, 8] on 32 bytes 4 nnz 1 {format = #sxf.format<coo, value = f16, index = 8>, row_cuts = array<i64: 0, 3, 5, 8>}
    sxft.buffer @v20_15 [4, 8] grid [1, 8] on 32 bytes 16 {replicas = 3 : i64}
    sxft.buffer @v21_16 [4, 8] grid [1, 3] on 32 bytes 48 {col_cuts = array<i64: 0, 3, 5, 8>, interleave, partial, replicas = 8 : i64}
    sxft.buffer @v21_17 [4, 8] grid [1, 8] on 32 bytes 16
    sxft.partition @w7 of "layers.0.attn.o.bias" [1, 8] grid [1, 8] on 32 bytes 2 nnz 1 {format = #sxf.format<dense, value = f16>}
    sxft.buffer @v6_18 [4, 8] grid [1, 8] on 32 bytes 16
    sxft.buffer @v21_19 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.partition @w8 of "layers.0.ln1.weight" [1, 8] grid [1, 1] on 32 bytes 16 nnz 8 {format = #sxf.format<dense, value = f16>, replicas = 4 : i64}
    sxft.partition @w9 of "layers.0.ln1.bias" [1, 8] grid [1, 1] on 32 bytes 16 nnz 8 {format = #sxf.format<dense, value = f16>, replicas = 4 : i64}
    sxft.buffer @v21_20 [4, 8] grid [4, 1] on 32 bytes 32
    sxft.partition @w10 of "layers.0.ffn.fc1.weight" [3, 8] grid [1, 8] on 36 bytes 4 nnz 1 {format = #sxf.format<coo, value = f16, index = 8>}
    sxft.buffer @v21_21 [4, 8] grid [1, 8] on 36 bytes 16
    sxft.buffer @v25_22 [4, 3] grid [1, 1] on 36 bytes 48 {interleave, partial, replicas = 8 : i64}
    sxft.buffer @v25_23 [4, 3] grid [1, 3] on 36 bytes 16
    sxft.partition @w11 of "layers.0.ffn.fc1.bias" [1, 3] grid [1, 3] on 36 bytes 2 nnz 1 {format = #sxf.format<dense, value = f16>}
    sxft.partition @w12 of "layers.0.ffn.fc2.weight" [8, 3] grid [8, 2] on 39 bytes 4 nnz 2 {format = #sxf.format<dense, value = f16>}
    sxft.buffer @v25_24 [4, 3] grid [1, 2] on 39 bytes 32 {replicas = 8 : i64}
    sxft.buffer @v26_25 [4, 8] grid [1, 8] on 39 bytes 16 {interleave, partial, replicas = 2 : i64}
    sxft.buffer @v26_26 [4, 8] grid [1, 8] on 39 bytes 16
    sxft.partition @w13 of "layers.0.ffn.fc2.bias" [1, 8] grid [1, 8] on 39 bytes 2 nnz 1 {format = #sxf.format<dense, value = f16>}
    sxft.buffer @v21_27 [4, 8] grid [1, 8] on 39 bytes 16
    sxft.buffer @v26_28 [4, 8] grid [4, 1] on 39 bytes 32
    sxft.partition @w14 of "layers.0.ln2.weight" [1, 8] grid [1, 1] on 39 bytes 16 nnz 8 {format = #sxf.format<dense, value = f16>, replicas = 4 : i64}
    sxft.partition @w15 of "layers.0.ln2.bias" [1, 8] grid [1, 1] on 39 bytes 16 nnz 8 {format = #sxf.format<dense, value = f16>, replicas = 4 : i64}
    sxft.buffer @v26_29 [4, 8] grid [4, 1] on 39 bytes 32 {output = 0 : i64}
    sxft.step 0 attributes {layer = "embed"} {
      sxft.compute "gather" on 0 span 4 @w0 reads [@v0_0, @w1] writes [@v3_1] flops 32 {op = 0 : i64}
    }
    sxft.step 1 attributes {layer = "embed"} {
      sxft.exchange @v3_1 to @v3_2 bytes 128
      sxft.compute "rowwise" on 4 span 4 reads [@v3_2, @w2, @w3] writes [@v6_3] flops 256 {op = 1 : i64}
    }
    sxft.step 2 attributes {layer = "layers.0"} {
      sxft.exchange @v6_3 to @v6_4 bytes 1152
      sxft.compute "matmul" on 8 span 72 @w4 reads [@v6_4] writes [@v16_5] flops 72 {op = 2 : i64}
    }
    sxft.step 3 attributes {layer = "layers.0"} {
      sxft.exchange @v16_5 to @v16_6 bytes 2976
      sxft.compute "epilogue" on 8 span 24 reads [@v16_6, @w5] writes [@v16_6] flops 96 {op = 2 : i64}
    }
    sxft.step 4 attributes {layer = "layers.0"} {
      sxft.exchange @v16_6 to @v16_7 bytes 384
      sxft.compute "rowwise" on 32 span 4 reads [@v16_7] writes [@v17_8, @v18_9, @v19_10] flops 0 {op = 3 : i64}
    }
    sxft.step 5 attributes {layer = "layers.0"} {
      sxft.exchange @v17_8 to @v17_11 bytes 96
      sxft.exchange @v18_9 to @v18_12 bytes 96
      sxft.exchange @v19_10 to @v19_13 bytes 96
      sxft.compute "attention" on 32 span 2 reads [@v17_11, @v18_12, @v19_13] writes [@v20_14] flops 672 {op = 4 : i64}
    }
    sxft.step 6 attributes {layer = "layers.0"} {
      sxft.exchange @v20_14 to @v20_15 bytes 368
      sxft.compute "matmul" on 32 span 24 @w6 reads [@v20_15] writes [@v21_16] flops 24 {op = 5 : i64}
    }
    sxft.step 7 attributes {layer = "layers.0"} {
      sxft.exchange @v21_16 to @v21_17 bytes 976
      sxft.exchange @v6_3 to @v6_18 bytes 128
      sxft.compute "epilogue" on 32 span 8 reads [@v21_17, @w7, @v6_18] writes [@v21_17] flops 64 {op = 5 : i64}
    }
    sxft.step 8 attributes {layer = "layers.0"} {
      sxft.exchange @v21_17 to @v21_19 bytes 112
      sxft.compute "rowwise" on 32 span 4 reads [@v21_19, @w8, @w9] writes [@v21_20] flops 256 {op = 5 : i64}
    }
    sxft.step 9 attributes {layer = "layers.0"} {
      sxft.exchange @v21_20 to @v21_21 bytes 128
      sxft.compute "matmul" on 36 span 8 @w10 reads [@v21_21] writes [@v25_22] flops 8 {op = 6 : i64}
    }
    sxft.step 10 attributes {layer = "layers.0"} {
      sxft.exchange @v25_22 to @v25_23 bytes 336
      sxft.compute "epilogue" on 36 span 3 reads [@v25_23, @w11] writes [@v25_23] flops 108 {op = 6 : i64}
    }
    sxft.step 11 attributes {layer = "layers.0"} {
      sxft.exchange @v25_23 to @v25_24 bytes 384
      sxft.compute "matmul" on 39 span 16 @w12 reads [@v25_24] writes [@v26_25] flops 48 {op = 7 : i64}
    }
    sxft.step 12 attributes {layer = "layers.0"} {
      sxft.exchange @v26_25 to @v26_26 bytes 240
      sxft.exchange @v21_20 to @v21_27 bytes 128
      sxft.compute "epilogue" on 39 span 8 reads [@v26_26, @w13, @v21_27] writes [@v26_26] flops 64 {op = 7 : i64}
    }
    sxft.step 13 attributes {layer = "layers.0"} {
      sxft.exchange @v26_26 to @v26_28 bytes 112
      sxft.compute "rowwise" on 39 span 4 reads [@v26_28, @w14, @w15] writes [@v26_29] flops 256 {op = 7 : i64}
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
      layers.0.attn.o.weight_1: "0x040000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000B7C7CBD0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007E38DF3D0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006A4B71BD00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      layers.0.attn.o.bias: "0x040000006947923CB9F8123CE4A138BB18892339B06C0BBC38E60EBD4AE075BC3C0FBFBC",
      layers.0.ln2.weight: "0x040000003F13803F36877E3F532D803F36E6823F24737C3F95EF813F2F2C813F9A4E7D3F",
      layers.0.ln2.bias: "0x04000000F426543C62FC2CBDAC6B903CD60B8F3CD5351F3C4B60A63C28F6463CF8B91EBC",
      layers.0.ffn.fc2.bias: "0x04000000789387BB5FA94C3DF40A143D03B8753CAD7D203B3B78403C2CC02CBC5EDAA8B9",
      "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight": "0x04000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000A8B9FE3D000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000D5104BBE000000000000000000000000000000000000000000000000000000001E2D54BE000000000000000000000000000000000000000000000000000000000D5A0BBE00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004CB2D5BD000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000AA84C93D00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006680813D000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000896F533D000000000000000000000000000000000A10AE3D0000000000000000000000000000000000000000",
      "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias": "0x0400000000E03FBB00A02A3C00A003BD006087BC00C03CBD00C0E3BC008081BC0000EE3B0040D03C00E00D3C00C064BB0020113C008012BC00A00BBD0000BFBC0020ABBB0020D6BB00608FBC00A0103D00A04E3C00A0123A004032BC00C0A23B008080BC",
      layers.0.ffn.fc1.weight_2: "0x040000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000B1F772BE000000000000000000000000000000000000000000000000000000000000000000000000",
      layers.0.ffn.fc1.bias_1: "0x0400000005F8CBBC97D9F9BB9EAC3CBB",
      layers.0.ffn.fc2.weight_2: "0x040000000000000000000000000000000000000000000000000000000000000000000000BCF0A53D52C268BD00000000000000000000000000000000A4C87B3E00000000000000000C0E77BE0000000029E5883D1C53FF3D000000000000000000000000"
    }
  }
#-}

