module attributes {sxf.model = "tiny"} {
  func.func @forward(%arg0: tensor<1x4xi32> {sxf.name = "input_ids"}) -> (tensor<1x4x16xf32> {sxf.name = "logits"}) {
    %0 = sxf.weight "embed.tokens.weight" {format = #sxf.format<dense, value = f32>, sxf.cost = {bytes = 512 : i64, joules = 1.4719999999999999E-9 : f64, seconds = 1.8285714285714287E-11 : f64, target = "rdu-sn10"}, value = dense_resource<embed.tokens.weight> : tensor<16x8xf32>} : tensor<16x8xf32>
    %1 = sxf.weight "embed.positions.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<embed.positions.weight> : tensor<4x8xf32>} : tensor<4x8xf32>
    %2 = sxf.embedding %arg0, %0, %1 {sxft.op = 0 : i64} : (tensor<1x4xi32>, tensor<16x8xf32>, tensor<4x8xf32>) -> tensor<1x4x8xf32>
    %3 = sxf.weight "layers.0.ln1.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln1.weight> : tensor<8xf32>} : tensor<8xf32>
    %4 = sxf.weight "layers.0.ln1.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln1.bias> : tensor<8xf32>} : tensor<8xf32>
    %5 = sxf.weight "layers.0.attn.o.weight" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<block[2, 2], density = 0.5>, sxf.cost = {bytes = 256 : i64, joules = 7.680000e-10 : f64, seconds = 9.1428571428571435E-12 : f64, target = "rdu-sn10"}, value = dense_resource<layers.0.attn.o.weight_1> : tensor<8x8xf32>} : tensor<8x8xf32>
    %6 = sxf.weight "layers.0.attn.o.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.attn.o.bias> : tensor<8xf32>} : tensor<8xf32>
    %7 = sxf.weight "layers.0.ln2.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln2.weight> : tensor<8xf32>} : tensor<8xf32>
    %8 = sxf.weight "layers.0.ln2.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ln2.bias> : tensor<8xf32>} : tensor<8xf32>
    %9 = sxf.weight "layers.0.ffn.fc1.weight" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<block[2, 2], density = 0.5>, sxf.cost = {bytes = 512 : i64, joules = 1.4719999999999999E-9 : f64, seconds = 1.8285714285714287E-11 : f64, target = "rdu-sn10"}, value = dense_resource<layers.0.ffn.fc1.weight_1> : tensor<16x8xf32>} : tensor<16x8xf32>
    %10 = sxf.weight "layers.0.ffn.fc1.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ffn.fc1.bias> : tensor<16xf32>} : tensor<16xf32>
    %11 = sxf.weight "layers.0.ffn.fc2.weight" {format = #sxf.format<dense, value = f32>, sparsity = #sxf.sparsity<block[2, 2], density = 0.5>, sxf.cost = {bytes = 512 : i64, joules = 1.4719999999999999E-9 : f64, seconds = 1.8285714285714287E-11 : f64, target = "rdu-sn10"}, value = dense_resource<layers.0.ffn.fc2.weight_1> : tensor<8x16xf32>} : tensor<8x16xf32>
    %12 = sxf.weight "layers.0.ffn.fc2.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<layers.0.ffn.fc2.bias> : tensor<8xf32>} : tensor<8xf32>
    %13 = sxf.layer_norm %2, %3, %4 {sxft.op = 1 : i64} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %14 = sxf.weight "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<"layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight"> : tensor<24x8xf32>} : tensor<24x8xf32>
    %15 = sxf.weight "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<"layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias"> : tensor<24xf32>} : tensor<24xf32>
    %16 = sxf.linear %13, %14, %15 {sxft.op = 2 : i64} : (tensor<1x4x8xf32>, tensor<24x8xf32>, tensor<24xf32>) -> tensor<1x4x24xf32>
    %17:3 = sxf.split %16 {sxft.op = 3 : i64} : tensor<1x4x24xf32> -> tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>
    %18 = sxf.attention %17#0, %17#1, %17#2 {causal, head_dim = 4 : i64, heads = 2 : i64, sxft.op = 4 : i64} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    %19 = sxf.linear %18, %5, %6 residual(%2) {sxft.op = 5 : i64} : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    %20 = sxf.layer_norm %19, %7, %8 {sxft.op = 6 : i64} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %21 = sxf.linear %20, %9, %10 activation gelu_tanh {sxft.op = 7 : i64} : (tensor<1x4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<1x4x16xf32>
    %22 = sxf.linear %21, %11, %12 residual(%19) {sxft.op = 8 : i64} : (tensor<1x4x16xf32>, tensor<8x16xf32>, tensor<8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    %23 = sxf.weight "final_ln.weight" {format = #sxf.format<dense, value = f32>, value = dense_resource<final_ln.weight> : tensor<8xf32>} : tensor<8xf32>
    %24 = sxf.weight "final_ln.bias" {format = #sxf.format<dense, value = f32>, value = dense_resource<final_ln.bias> : tensor<8xf32>} : tensor<8xf32>
    %25 = sxf.layer_norm %22, %23, %24 {sxft.op = 9 : i64} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %26 = sxf.linear %25, %0 {sxft.op = 10 : i64} : (tensor<1x4x8xf32>, tensor<16x8xf32>) -> tensor<1x4x16xf32>
    return %26 : tensor<1x4x16xf32>
  }
  sxft.program for @forward attributes {kind = "rdu", microbatches = 4 : i64, sram_per_unit = 524288 : i64, target = "rdu-sn10", tokens = 4 : i64, units = 640 : i64} {
    sxft.partition @w0 of "embed.tokens.weight" [16, 8] grid [8, 2] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>}
    sxft.partition @w1 of "embed.positions.weight" [4, 8] grid [4, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v0_0 [4, 1] grid [4, 1] on 0 bytes 4 {input = 0 : i64}
    sxft.buffer @v3_1 [4, 8] grid [4, 1] on 0 bytes 32
    sxft.buffer @v3_2 [4, 8] grid [4, 1] on 23 bytes 32
    sxft.partition @w2 of "layers.0.ln1.weight" [1, 8] grid [1, 1] on 23 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.partition @w3 of "layers.0.ln1.bias" [1, 8] grid [1, 1] on 23 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.buffer @v14_3 [4, 8] grid [4, 1] on 23 bytes 32
    sxft.partition @w4 of "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight" [24, 8] grid [24, 4] on 46 bytes 8 nnz 2 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v14_4 [4, 8] grid [1, 4] on 46 bytes 32 {replicas = 24 : i64}
    sxft.buffer @v17_5 [4, 24] grid [1, 24] on 46 bytes 16 {interleave, partial, replicas = 4 : i64}
    sxft.buffer @v17_6 [4, 24] grid [1, 24] on 46 bytes 16
    sxft.partition @w5 of "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias" [1, 24] grid [1, 24] on 46 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v17_7 [4, 24] grid [4, 1] on 183 bytes 96
    sxft.buffer @v18_8 [4, 8] grid [4, 1] on 183 bytes 32
    sxft.buffer @v19_9 [4, 8] grid [4, 1] on 183 bytes 32
    sxft.buffer @v20_10 [4, 8] grid [4, 1] on 183 bytes 32
    sxft.buffer @v18_11 [4, 8] grid [1, 2] on 206 bytes 64
    sxft.buffer @v19_12 [4, 8] grid [1, 2] on 206 bytes 64
    sxft.buffer @v20_13 [4, 8] grid [1, 2] on 206 bytes 64
    sxft.buffer @v21_14 [4, 8] grid [1, 2] on 206 bytes 64
    sxft.partition @w6 of "layers.0.attn.o.weight" [8, 8] grid [8, 4] on 266 bytes 8 nnz 2 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v21_15 [4, 8] grid [1, 4] on 266 bytes 32 {replicas = 8 : i64}
    sxft.buffer @v22_16 [4, 8] grid [1, 8] on 266 bytes 16 {interleave, partial, replicas = 4 : i64}
    sxft.buffer @v22_17 [4, 8] grid [1, 8] on 266 bytes 16
    sxft.partition @w7 of "layers.0.attn.o.bias" [1, 8] grid [1, 8] on 266 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v3_18 [4, 8] grid [1, 8] on 266 bytes 16
    sxft.buffer @v22_19 [4, 8] grid [4, 1] on 312 bytes 32
    sxft.partition @w8 of "layers.0.ln2.weight" [1, 8] grid [1, 1] on 312 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.partition @w9 of "layers.0.ln2.bias" [1, 8] grid [1, 1] on 312 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.buffer @v23_20 [4, 8] grid [4, 1] on 312 bytes 32
    sxft.partition @w10 of "layers.0.ffn.fc1.weight" [16, 8] grid [16, 4] on 335 bytes 8 nnz 2 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v23_21 [4, 8] grid [1, 4] on 335 bytes 32 {replicas = 16 : i64}
    sxft.buffer @v24_22 [4, 16] grid [1, 16] on 335 bytes 16 {interleave, partial, replicas = 4 : i64}
    sxft.buffer @v24_23 [4, 16] grid [1, 16] on 335 bytes 16
    sxft.partition @w11 of "layers.0.ffn.fc1.bias" [1, 16] grid [1, 16] on 335 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.partition @w12 of "layers.0.ffn.fc2.weight" [8, 16] grid [8, 8] on 427 bytes 8 nnz 2 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v24_24 [4, 16] grid [1, 8] on 427 bytes 32 {replicas = 8 : i64}
    sxft.buffer @v25_25 [4, 8] grid [1, 8] on 427 bytes 16 {interleave, partial, replicas = 8 : i64}
    sxft.buffer @v25_26 [4, 8] grid [1, 8] on 427 bytes 16
    sxft.partition @w13 of "layers.0.ffn.fc2.bias" [1, 8] grid [1, 8] on 427 bytes 4 nnz 1 {format = #sxf.format<dense, value = f32>}
    sxft.buffer @v22_27 [4, 8] grid [1, 8] on 427 bytes 16
    sxft.buffer @v25_28 [4, 8] grid [4, 1] on 519 bytes 32
    sxft.partition @w14 of "final_ln.weight" [1, 8] grid [1, 1] on 519 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.partition @w15 of "final_ln.bias" [1, 8] grid [1, 1] on 519 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, replicas = 4 : i64}
    sxft.buffer @v28_29 [4, 8] grid [4, 1] on 519 bytes 32
    sxft.buffer @v28_30 [4, 8] grid [1, 2] on 0 bytes 64 {replicas = 8 : i64}
    sxft.buffer @v29_31 [4, 16] grid [1, 8] on 0 bytes 32 {interleave, partial, replicas = 2 : i64}
    sxft.buffer @v29_32 [4, 16] grid [1, 16] on 0 bytes 16 {output = 0 : i64}
    sxft.step 0 attributes {layer = "embed"} {
      sxft.compute "gather" on 0 span 4 @w0 reads [@v0_0, @w1] writes [@v3_1] flops 32 {op = 0 : i64}
    }
    sxft.step 1 attributes {layer = "layers.0"} {
      sxft.exchange @v3_1 to @v3_2 bytes 128
      sxft.compute "rowwise" on 23 span 4 reads [@v3_2, @w2, @w3] writes [@v14_3] flops 256 {op = 1 : i64}
    }
    sxft.step 2 attributes {layer = "layers.0"} {
      sxft.exchange @v14_3 to @v14_4 bytes 3072
      sxft.compute "matmul" on 46 span 96 @w4 reads [@v14_4] writes [@v17_5] flops 768 {op = 2 : i64}
    }
    sxft.step 3 attributes {layer = "layers.0"} {
      sxft.exchange @v17_5 to @v17_6 bytes 1520
      sxft.compute "epilogue" on 46 span 24 reads [@v17_6, @w5] writes [@v17_6] flops 96 {op = 2 : i64}
    }
    sxft.step 4 attributes {layer = "layers.0"} {
      sxft.exchange @v17_6 to @v17_7 bytes 384
      sxft.compute "rowwise" on 183 span 4 reads [@v17_7] writes [@v18_8, @v19_9, @v20_10] flops 0 {op = 3 : i64}
    }
    sxft.step 5 attributes {layer = "layers.0"} {
      sxft.exchange @v18_8 to @v18_11 bytes 128
      sxft.exchange @v19_9 to @v19_12 bytes 128
      sxft.exchange @v20_10 to @v20_13 bytes 128
      sxft.compute "attention" on 206 span 2 reads [@v18_11, @v19_12, @v20_13] writes [@v21_14] flops 672 {op = 4 : i64}
    }
    sxft.step 6 attributes {layer = "layers.0"} {
      sxft.exchange @v21_14 to @v21_15 bytes 1024
      sxft.compute "matmul" on 266 span 32 @w6 reads [@v21_15] writes [@v22_16] flops 256 {op = 5 : i64}
    }
    sxft.step 7 attributes {layer = "layers.0"} {
      sxft.exchange @v22_16 to @v22_17 bytes 496
      sxft.exchange @v3_1 to @v3_18 bytes 128
      sxft.compute "epilogue" on 266 span 8 reads [@v22_17, @w7, @v3_18] writes [@v22_17] flops 64 {op = 5 : i64}
    }
    sxft.step 8 attributes {layer = "layers.0"} {
      sxft.exchange @v22_17 to @v22_19 bytes 128
      sxft.compute "rowwise" on 312 span 4 reads [@v22_19, @w8, @w9] writes [@v23_20] flops 256 {op = 6 : i64}
    }
    sxft.step 9 attributes {layer = "layers.0"} {
      sxft.exchange @v23_20 to @v23_21 bytes 2048
      sxft.compute "matmul" on 335 span 64 @w10 reads [@v23_21] writes [@v24_22] flops 512 {op = 7 : i64}
    }
    sxft.step 10 attributes {layer = "layers.0"} {
      sxft.exchange @v24_22 to @v24_23 bytes 1008
      sxft.compute "epilogue" on 335 span 16 reads [@v24_23, @w11] writes [@v24_23] flops 576 {op = 7 : i64}
    }
    sxft.step 11 attributes {layer = "layers.0"} {
      sxft.exchange @v24_23 to @v24_24 bytes 2048
      sxft.compute "matmul" on 427 span 64 @w12 reads [@v24_24] writes [@v25_25] flops 512 {op = 8 : i64}
    }
    sxft.step 12 attributes {layer = "layers.0"} {
      sxft.exchange @v25_25 to @v25_26 bytes 1008
      sxft.exchange @v22_17 to @v22_27 bytes 128
      sxft.compute "epilogue" on 427 span 8 reads [@v25_26, @w13, @v22_27] writes [@v25_26] flops 64 {op = 8 : i64}
    }
    sxft.step 13 attributes {layer = "final_ln"} {
      sxft.exchange @v25_26 to @v25_28 bytes 128
      sxft.compute "rowwise" on 519 span 4 reads [@v25_28, @w14, @w15] writes [@v28_29] flops 256 {op = 9 : i64}
    }
    sxft.step 14 attributes {layer = "embed"} {
      sxft.exchange @v28_29 to @v28_30 bytes 1024
      sxft.compute "matmul" on 0 span 16 @w0 reads [@v28_30] writes [@v29_31] flops 1024 {op = 10 : i64}
    }
    sxft.step 15 attributes {layer = "embed"} {
      sxft.exchange @v29_31 to @v29_32 bytes 256
    }
  }
}

{-#
  dialect_resources: {
    builtin: {
      embed.tokens.weight: "0x04000000DBB93DBC37D368BC67FCC83C2EEC79BC5E3CD23B0BC9973BB7F4083DC6FACB3CA999A6BCD4E54ABC5654DEBCA4CD173AB4C2813CD541D2BCCE9A003D164D4FBEC2B278BB4BCA2D3C099D8FBC55ECB0BC776114BDE8914E3B47FB873B667BE63D741BDD3BE142833C97F54E3C68E4C9BC868CA5BB9A803D3BE1873CBCF01D843EFDC399BB4CEE45BBFAECFE3C8927183D0749AFBB90D303BC60BFF0BB44856A3D5FD410BD41CD1BBC49982F3C6B96443C777E70BC303D723C90B877BBE62B20BCC19650BCA7A0DFBC674710BD1FE1B5BC711D973CA2723FBC712B21BCBE2E7ABD7155373CFB7396BCD1850BBCCDDDC2BBA7F60439D39333BCE0C4F2BBEF4D04BE3DF99B3C953E413CD59622BC3856873871DDB4BC07F6943C9DC163BC208FE13D8E23513C10CC913C8EA4A13CFF8314BDFDA8AB3CF8B5B6BB6CECDD3CA3C0053DCF2F2C3D7F94513C339F2E3CDB9A5B3924BB89BC90AFA4BB05D7733C3DD11DBEE1B98D3CB29ACBBCBA7AE5BC9994A5BCE94F3DBC7B85453C8C223BBB02A26CBC635BE73C7B1C2BBD73F729BD55CCF13B938FA3BB1B1E8CBC2FD3C5BCC0DD4EBE1BCD2ABB403DF53CAFE7E1BC2561AA3AFF46073A32A8593CB040BFBC4E3E1C3E679E46BCEE6D163CAD33CEBB05FCC43C79B92CBC6893B3BC1CC9C93CF4C429BE49A33DBC74B8983CE0F1503C2BB2073D2A0234BC5033DD3C2519DCBC74F1B6BD",
      embed.positions.weight: "0x04000000A073F53B92C47F3CE81C803C9B249FBDF5FBD6BB7C93253C6B8C333CD9C5613ABC8F20BC405D6BBCF405653C9FF72A3E160D2CBD375332BC99771CBC58356CBC181C0B3DC1E9D4BB4F5FDABC796072BD73CE9C3C15C060BCF7F83B3DD366A8BC501C2FB9CDB424BBBE15ECBC9076BEBDF51C793C6760F03BD49149BD1EAE2ABB",
      layers.0.ln1.weight: "0x04000000ADD4823F09607D3F2B9D7C3F96C47F3FC90D803FD431813F59DE7B3F59767B3F",
      layers.0.ln1.bias: "0x04000000A972C9BC7CA7EE3BDD960EBDBF8924BCAE6CA4BC750969BC11A02A3C8FB124BC",
      layers.0.attn.o.weight_1: "0x04000000000000000000000000000000000000006A8E1B3CC382773C0000000000000000000000000000000000000000000000000B7C7CBDA438173C0000000000000000000000000000000050441FBC5FCA9ABCE533373DCCFCA8BCEAD9533CA2CAE33A000000000000000015B04E3D7049B23C7E38DF3DF695943C530146BD223A00BCE18FC53C4714313C0000000000000000FE8A093DFEC8513C00000000000000000C63913C6A4B71BD0000000000000000982F9F3C4837F9BC00000000000000000000000000000000B6BF4D3D30F5E8BB7CFBACBB2ED8B0BC0000000000000000000000000000000057D53FBCCB98B83CF160543DCB6F403C0000000000000000",
      layers.0.attn.o.bias: "0x040000006947923CB9F8123CE4A138BB18892339B06C0BBC38E60EBD4AE075BC3C0FBFBC",
      layers.0.ln2.weight: "0x040000003F13803F36877E3F532D803F36E6823F24737C3F95EF813F2F2C813F9A4E7D3F",
      layers.0.ln2.bias: "0x04000000F426543C62FC2CBDAC6B903CD60B8F3CD5351F3C4B60A63C28F6463CF8B91EBC",
      layers.0.ffn.fc1.weight_1: "0x04000000F9FBD8BC3B90B23B0000000000000000ED38293DFA8D403DB3A6F0BD648CC73BB918653D8700EA3C00000000000000001CBB98BCE090A73CA276C9BD8C4E983C0000000000000000000000000000000000000000000000002FCF1CBEBC0B5EBC000000000000000000000000000000000000000000000000C82A1CBEA2E92CBB2C5928BDFEABD73CCD74A5BC75B962BD0000000000000000F0FA833DAB50423C157C163C6BAE05BD53C1ADBC015D1BBD0000000000000000EB0411BDF86DE9BB000000000000000000000000000000002340653CEEEBB53C044B29BDBB0B293D00000000000000000000000000000000C7B0173D8449E63C9EDD1B3C5EB2073C000000000000000000000000000000006DAE16BDE02E1A3DB1F772BEBCC3B0BC000000000000000000000000000000004934FD3C932701BD00785FBD70A450BC0000000000000000000000000000000000000000000000009E1862BEDACD9ABB000000000000000000000000000000000000000000000000059A52BD245E0F3C69A1663C605BE13C0000000000000000000000000000000037A2E6BDFF21083D5A4B05BD0B5DBFBC000000000000000000000000000000008CB61CBD4A7E0F3C00000000000000000000000000000000523538BCDCB186BBC4A8843DE8B88B3C000000000000000000000000000000003276A93CA2614C3DD8885E3D4A24EABC",
      layers.0.ffn.fc1.bias: "0x040000009259C43A05F8CBBC94E5EEBB7CE39EBBD98F52BB2E8AB93C2C94883C32EA26BB97D9F9BB951511BC41F7CEBC48CFC6BC26CB19BC9EAC3CBBB70A443C6EA6A7BC",
      layers.0.ffn.fc2.weight_1: "0x04000000000000000000000000000000000000000000000000000000111FB7BBAC828C3C85A762BC7AD3683C00000000000000008378B83BA9DE2DBD49C4263CEBAF7FBB000000000000000000000000000000000000000000000000A94AFB3B2CD7293D76DF1FBD22E7D53B000000000000000061431BBD28367BBB4D3095BB282922BD1819A4BBC863A43C000000000000000092D82CBDA200FD3B24D48FBB9F5BEEB9000000000000000021DB3F3C137C1D3C3812163DBCF0A53D0000000000000000003E783C52C268BD0000000000000000848EDEBBB711DEBBB84C12BDB1DB5B3D00000000000000002A51083D0ED49EBC39DF2B3B92B18FBC0000000000000000000000000000000000000000000000000000000000000000064800BDEDC19E3C000000000000000000000000000000003A56AB3CA4C87B3E000000000000000000000000000000000000000000000000000000000000000054FCF5BCA84E22BC00000000000000000000000000000000ED29A5BC0C0E77BE00000000000000000000000000000000119A0A3DDFD7FDBC0000000000000000F317933C35D1843C29E5883D940E80BCB9B1323D6BCC093BC010CC3C1C53FF3D000000000000000000000000000000001E25853BF191D6BC000000000000000086342F3CD3B9E2BC313F503C70E8ED3972C90D3C1CCE4BBC615A213D59A211BD0000000000000000",
      layers.0.ffn.fc2.bias: "0x04000000789387BB5FA94C3DF40A143D03B8753CAD7D203B3B78403C2CC02CBC5EDAA8B9",
      "layers.0.attn.q.weight+layers.0.attn.k.weight+layers.0.attn.v.weight": "0x0400000000000000000000000000000000000000D0C23D3D637CD23C41979D3C3EA9C1BC00000000000000000000000000000000C2BF04BD474BD5BB7B4E56BCD6CBE53C966DEA3C8BC4183D000000000000000026FE63BCA67D9E3C0000000000000000BED793BB1767A33C000000000000000070D2AB3D2C21833C000000000000000063A5053D182DED3C0000000000000000A8B9FE3DDE6C203DE768F93B2334ADBCA601A6BCBDE7E4BB0000000000000000E09E74BDA22846BCE596E33C05A010BD00000000000000000000000000000000D5104BBE8C8BDD3C0000000000000000000000000000000000000000000000001E2D54BEDB3499BC000000000000000000000000000000007753FC39BCEB5DBC0D5A0BBEEB13823C56E9CDBB6C17183C0000000000000000317489BB8C9E0E3DACBCB3BD66ECB23CCD1EF53CE0D8E73C0000000000000000000000000000000024E29C3D246293BC0000000000000000000000000000000000000000000000004CB2D5BD71297BBC000000000000000000000000000000005064843C45F7243CF6FAA63C91F4873C48B7343C6057DF3C00000000000000009E507DBCE0E1E43CAA84C93D808EF5BCD889C8BC826BCABB000000000000000011DFF1BCD295AF3C0000000000000000000000000000000000000000000000009F007CBCDBDE8A3C000000000000000000000000000000000000000000000000EB5496BC7587A03C0000000000000000000000000000000000000000000000006680813D3BAF0FBC000000000000000000000000000000000000000000000000A20A5ABC20A386BCA8427BBCCBA374BCE9561CBDD439B6BB00000000000000009A6E21BDBE2A21BCB97AD1BC0307CB3C8CCA06BC6F0D95BB000000000000000079E643BDF5A5E33B000000000000000000000000000000000000000000000000B31346BD1EEC0A3D00000000000000000000000000000000DDB11C3D6F5E3F3D4835C13C4DF0483A5CF3B1BB896F533D00000000000000009A812938B61F07BC0A10AE3D6BA6C43CA564B4BB17FC433C0000000000000000",
      "layers.0.attn.q.bias+layers.0.attn.k.bias+layers.0.attn.v.bias": "0x040000004DE83FBB8C982A3CB19603BD215687BCA3B33CBD85BBE3BC948581BCA702EE3B8249D03C7AD70D3C8CBB64BBEC28113C048212BC70900BBD84F1BEBC2A22ABBB3C17D6BB01558FBCF69B103DD89C4E3C0795123A313F32BC75C1A23B637C80BC",
      final_ln.weight: "0x0400000072037F3F26D67E3FE833813F09AE793F12B9853FFAD87C3F433C823FBE39833F",
      final_ln.bias: "0x04000000B9F6563D7D4E0FBCFC3A8FBCFFA7CEBA11B0B13C7CAB183BBF42263ACDC3693C"
    }
  }
#-}

