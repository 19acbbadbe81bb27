module attributes {sxf.model = "tiny"} {
  func.func @forward(%arg0: tensor<1x4xi32> {sxf.name = "input_ids"}) -> (tensor<1x4x16xf32> {sxf.name = "logits"}) {
    %0 = sxf.weight "embed.tokens.weight" {value = dense_resource<embed.tokens.weight> : tensor<16x8xf32>} : tensor<16x8xf32>
    %1 = sxf.weight "embed.positions.weight" {value = dense_resource<embed.positions.weight> : tensor<4x8xf32>} : tensor<4x8xf32>
    %2 = sxf.embedding %arg0, %0, %1 {sxft.op = 0 : i64} : (tensor<1x4xi32>, tensor<16x8xf32>, tensor<4x8xf32>) -> tensor<1x4x8xf32>
    %3 = sxf.weight "layers.0.ln1.weight" {value = dense_resource<layers.0.ln1.weight> : tensor<8xf32>} : tensor<8xf32>
    %4 = sxf.weight "layers.0.ln1.bias" {value = dense_resource<layers.0.ln1.bias> : tensor<8xf32>} : tensor<8xf32>
    %5 = sxf.weight "layers.0.attn.q.weight" {value = dense_resource<layers.0.attn.q.weight> : tensor<8x8xf32>} : tensor<8x8xf32>
    %6 = sxf.weight "layers.0.attn.q.bias" {value = dense_resource<layers.0.attn.q.bias> : tensor<8xf32>} : tensor<8xf32>
    %7 = sxf.weight "layers.0.attn.k.weight" {value = dense_resource<layers.0.attn.k.weight> : tensor<8x8xf32>} : tensor<8x8xf32>
    %8 = sxf.weight "layers.0.attn.k.bias" {value = dense_resource<layers.0.attn.k.bias> : tensor<8xf32>} : tensor<8xf32>
    %9 = sxf.weight "layers.0.attn.v.weight" {value = dense_resource<layers.0.attn.v.weight> : tensor<8x8xf32>} : tensor<8x8xf32>
    %10 = sxf.weight "layers.0.attn.v.bias" {value = dense_resource<layers.0.attn.v.bias> : tensor<8xf32>} : tensor<8xf32>
    %11 = sxf.weight "layers.0.attn.o.weight" {value = dense_resource<layers.0.attn.o.weight> : tensor<8x8xf32>} : tensor<8x8xf32>
    %12 = sxf.weight "layers.0.attn.o.bias" {value = dense_resource<layers.0.attn.o.bias> : tensor<8xf32>} : tensor<8xf32>
    %13 = sxf.weight "layers.0.ln2.weight" {value = dense_resource<layers.0.ln2.weight> : tensor<8xf32>} : tensor<8xf32>
    %14 = sxf.weight "layers.0.ln2.bias" {value = dense_resource<layers.0.ln2.bias> : tensor<8xf32>} : tensor<8xf32>
    %15 = sxf.weight "layers.0.ffn.fc1.weight" {value = dense_resource<layers.0.ffn.fc1.weight> : tensor<16x8xf32>} : tensor<16x8xf32>
    %16 = sxf.weight "layers.0.ffn.fc1.bias" {value = dense_resource<layers.0.ffn.fc1.bias> : tensor<16xf32>} : tensor<16xf32>
    %17 = sxf.weight "layers.0.ffn.fc2.weight" {value = dense_resource<layers.0.ffn.fc2.weight> : tensor<8x16xf32>} : tensor<8x16xf32>
    %18 = sxf.weight "layers.0.ffn.fc2.bias" {value = dense_resource<layers.0.ffn.fc2.bias> : tensor<8xf32>} : tensor<8xf32>
    %19 = sxf.layer_norm %2, %3, %4 {sxft.op = 1 : i64} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %20 = sxf.linear %19, %5, %6 {sxft.op = 2 : i64} : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %21 = sxf.linear %19, %7, %8 {sxft.op = 3 : i64} : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %22 = sxf.linear %19, %9, %10 {sxft.op = 4 : i64} : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %23 = sxf.attention %20, %21, %22 {causal, head_dim = 4 : i64, heads = 2 : i64, sxft.op = 5 : i64} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    %24 = sxf.linear %23, %11, %12 {sxft.op = 6 : i64} : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %25 = sxf.add %2, %24 {sxft.op = 7 : i64} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    %26 = sxf.layer_norm %25, %13, %14 {sxft.op = 8 : i64} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %27 = sxf.linear %26, %15, %16 activation gelu_tanh {sxft.op = 9 : i64} : (tensor<1x4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<1x4x16xf32>
    %28 = sxf.linear %27, %17, %18 {sxft.op = 09 : i64} : (tensor<1x4x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %29 = sxf.add %25, %28 {sxft.op = 11 : i64} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
    %30 = sxf.weight "final_ln.weight" {value = dense_resource<final_ln.weight> : tensor<8xf32>} : tensor<8xf32>
    %31 = sxf.weight "final_ln.bias" {value = dense_resource<final_ln.bias> : tensor<8xf32>} : tensor<8xf32>
    %32 = sxf.layer_norm %29, %30, %31 {sxft.op = 12 : i64} : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %33 = sxf.linear %32, %0 {sxft.op = 13 : i64} : (tensor<1x4x8xf32>, tensor<16x8xf32>) -> tensor<1x4x16xf32>
    return %33 : tensor<1x4x16xf32>
  }
  sxft.program for @forward attributes {kind = "rdu", microbatches = 4 : i64, sram_per_unit = 131072 : i64, target = "toy4-rdu", tokens = 4 : i64, units = 4 : i64} {
    sxft.partition @w0 of "embed.tokens.weight" [16, 8] grid [1, 1] on 0 bytes 512 nnz 128 {format = #sxf.format<dense, value = f32>}
    sxft.partition @w1 of "embed.positions.weight" [4, 8] grid [1, 1] on 0 bytes 128 nnz 32 {format = #sxf.format<dense, value = f32>, offchip}
    sxft.buffer @v0_0 [4, 1] grid [1, 1] on 0 bytes 16 {input = 0 : i64}
    sxft.buffer @v3_1 [4, 8] grid [1, 1] on 0 bytes 128
    sxft.buffer @v3_2 [4, 8] grid [1, 1] on 1 bytes 128
    sxft.partition @w2 of "layers.0.ln1.weight" [1, 8] grid [1, 1] on 1 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip}
    sxft.partition @w3 of "layers.0.ln1.bias" [1, 8] grid [1, 1] on 1 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip}
    sxft.buffer @v20_3 [4, 8] grid [1, 1] on 1 bytes 128
    sxft.partition @w4 of "layers.0.attn.q.weight" [8, 8] grid [1, 1] on 2 bytes 256 nnz 64 {format = #sxf.format<dense, value = f32>, offchip}
    sxft.buffer @v20_4 [4, 8] grid [1, 1] on 2 bytes 128
    sxft.buffer @v21_5 [4, 8] grid [1, 1] on 2 bytes 128
    sxft.partition @w5 of "layers.0.attn.q.bias" [1, 8] grid [1, 1] on 2 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip}
    sxft.partition @w6 of "layers.0.attn.k.weight" [8, 8] grid [1, 1] on 3 bytes 256 nnz 64 {format = #sxf.format<dense, value = f32>, offchip}
    sxft.buffer @v20_6 [4, 8] grid [1, 1] on 3 bytes 128
    sxft.buffer @v22_7 [4, 8] grid [1, 1] on 3 bytes 128
    sxft.partition @w7 of "layers.0.attn.k.bias" [1, 8] grid [1, 1] on 3 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip}
    sxft.partition @w8 of "layers.0.attn.v.weight" [8, 8] grid [1, 1] on 0 bytes 256 nnz 64 {format = #sxf.format<dense, value = f32>, offchip, section = 1 : i64}
    sxft.buffer @v20_8 [4, 8] grid [1, 1] on 0 bytes 128
    sxft.buffer @v23_9 [4, 8] grid [1, 1] on 0 bytes 128
    sxft.partition @w9 of "layers.0.attn.v.bias" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip, section = 1 : i64}
    sxft.buffer @v21_10 [4, 8] grid [1, 1] on 1 bytes 128
    sxft.buffer @v22_11 [4, 8] grid [1, 1] on 1 bytes 128
    sxft.buffer @v23_12 [4, 8] grid [1, 1] on 1 bytes 128
    sxft.buffer @v24_13 [4, 8] grid [1, 1] on 1 bytes 128
    sxft.partition @w10 of "layers.0.attn.o.weight" [8, 8] grid [1, 1] on 2 bytes 256 nnz 64 {format = #sxf.format<dense, value = f32>, offchip, section = 1 : i64}
    sxft.buffer @v24_14 [4, 8] grid [1, 1] on 2 bytes 128
    sxft.buffer @v25_15 [4, 8] grid [1, 1] on 2 bytes 128
    sxft.partition @w11 of "layers.0.attn.o.bias" [1, 8] grid [1, 1] on 2 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip, section = 1 : i64}
    sxft.buffer @v25_16 [4, 8] grid [1, 1] on 0 bytes 128
    sxft.buffer @v26_17 [4, 8] grid [1, 1] on 0 bytes 128
    sxft.partition @w12 of "layers.0.ln2.weight" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip, section = 2 : i64}
    sxft.partition @w13 of "layers.0.ln2.bias" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip, section = 2 : i64}
    sxft.buffer @v27_18 [4, 8] grid [1, 1] on 0 bytes 128
    sxft.partition @w14 of "layers.0.ffn.fc1.weight" [16, 8] grid [1, 1] on 1 bytes 512 nnz 128 {format = #sxf.format<dense, value = f32>, offchip, section = 2 : i64}
    sxft.buffer @v27_19 [4, 8] grid [1, 1] on 1 bytes 128
    sxft.buffer @v28_20 [4, 16] grid [1, 1] on 1 bytes 256
    sxft.partition @w15 of "layers.0.ffn.fc1.bias" [1, 16] grid [1, 1] on 1 bytes 64 nnz 16 {format = #sxf.format<dense, value = f32>, offchip, section = 2 : i64}
    sxft.partition @w16 of "layers.0.ffn.fc2.weight" [8, 16] grid [1, 1] on 2 bytes 512 nnz 128 {format = #sxf.format<dense, value = f32>, offchip, section = 2 : i64}
    sxft.buffer @v28_21 [4, 16] grid [1, 1] on 2 bytes 256
    sxft.buffer @v29_22 [4, 8] grid [1, 1] on 2 bytes 128
    sxft.partition @w17 of "layers.0.ffn.fc2.bias" [1, 8] grid [1, 1] on 2 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip, section = 2 : i64}
    sxft.buffer @v29_23 [4, 8] grid [1, 1] on 0 bytes 128
    sxft.buffer @v30_24 [4, 8] grid [1, 1] on 0 bytes 128
    sxft.partition @w18 of "final_ln.weight" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip, section = 3 : i64}
    sxft.partition @w19 of "final_ln.bias" [1, 8] grid [1, 1] on 0 bytes 32 nnz 8 {format = #sxf.format<dense, value = f32>, offchip, section = 3 : i64}
    sxft.buffer @v33_25 [4, 8] grid [1, 1] on 0 bytes 128
    sxft.buffer @v34_26 [4, 16] grid [1, 1] on 0 bytes 256 {output = 0 : i64}
    sxft.step 0 attributes {layer = "embed"} {
      sxft.load @w1 bytes 128
      sxft.compute "gather" on 0 span 1 @w0 reads [@v0_0, @w1] writes [@v3_1] flops 32 {op = 0 : i64}
    }
    sxft.step 1 attributes {layer = "layers.0"} {
      sxft.load @w2 bytes 32
      sxft.load @w3 bytes 32
      sxft.exchange @v3_1 to @v3_2 bytes 128
      sxft.compute "rowwise" on 1 span 1 reads [@v3_2, @w2, @w3] writes [@v20_3] flops 256 {op = 1 : i64}
    }
    sxft.step 2 attributes {layer = "layers.0"} {
      sxft.load @w4 bytes 256
      sxft.load @w5 bytes 32
      sxft.exchange @v20_3 to @v20_4 bytes 128
      sxft.compute "matmul" on 2 span 1 @w4 reads [@v20_4] writes [@v21_5] flops 512 {op = 2 : i64}
      sxft.compute "epilogue" on 2 span 1 reads [@v21_5, @w5] writes [@v21_5] flops 32 {op = 2 : i64}
    }
    sxft.step 3 attributes {layer = "layers.0"} {
      sxft.load @w6 bytes 256
      sxft.load @w7 bytes 32
      sxft.exchange @v20_3 to @v20_6 bytes 128
      sxft.compute "matmul" on 3 span 1 @w6 reads [@v20_6] writes [@v22_7] flops 512 {op = 3 : i64}
      sxft.compute "epilogue" on 3 span 1 reads [@v22_7, @w7] writes [@v22_7] flops 32 {op = 3 : i64}
    }
    sxft.step 4 attributes {layer = "layers.0", section = 1 : i64} {
      sxft.load @w8 bytes 256
      sxft.load @w9 bytes 32
      sxft.exchange @v20_3 to @v20_8 bytes 128
      sxft.compute "matmul" on 0 span 1 @w8 reads [@v20_8] writes [@v23_9] flops 512 {op = 4 : i64}
      sxft.compute "epilogue" on 0 span 1 reads [@v23_9, @w9] writes [@v23_9] flops 32 {op = 4 : i64}
    }
    sxft.step 5 attributes {layer = "layers.0", section = 1 : i64} {
      sxft.exchange @v21_5 to @v21_10 bytes 128
      sxft.exchange @v22_7 to @v22_11 bytes 128
      sxft.exchange @v23_9 to @v23_12 bytes 128
      sxft.compute "attention" on 1 span 1 reads [@v21_10, @v22_11, @v23_12] writes [@v24_13] flops 672 {op = 5 : i64}
    }
    sxft.step 6 attributes {layer = "layers.0", section = 1 : i64} {
      sxft.load @w10 bytes 256
      sxft.load @w11 bytes 32
      sxft.exchange @v24_13 to @v24_14 bytes 128
      sxft.compute "matmul" on 2 span 1 @w10 reads [@v24_14] writes [@v25_15] flops 512 {op = 6 : i64}
      sxft.compute "epilogue" on 2 span 1 reads [@v25_15, @w11] writes [@v25_15] flops 32 {op = 6 : i64}
    }
    sxft.step 7 attributes {layer = "layers.0", section = 1 : i64} {
      sxft.exchange @v25_15 to @v25_16 bytes 128
      sxft.compute "rowwise" on 0 span 1 reads [@v3_1, @v25_16] writes [@v26_17] flops 32 {op = 7 : i64}
    }
    sxft.step 8 attributes {layer = "layers.0", section = 2 : i64} {
      sxft.load @w12 bytes 32
      sxft.load @w13 bytes 32
      sxft.compute "rowwise" on 0 span 1 reads [@v26_17, @w12, @w13] writes [@v27_18] flops 256 {op = 8 : i64}
    }
    sxft.step 9 attributes {layer = "layers.0", section = 2 : i64} {
      sxft.load @w14 bytes 512
      sxft.load @w15 bytes 64
      sxft.exchange @v27_18 to @v27_19 bytes 128
      sxft.compute "matmul" on 1 span 1 @w14 reads [@v27_19] writes [@v28_20] flops 1024 {op = 9 : i64}
      sxft.compute "epilogue" on 1 span 1 reads [@v28_20, @w15] writes [@v28_20] flops 576 {op = 9 : i64}
    }
    sxft.step 10 attributes {layer = "layers.0", section = 2 : i64} {
      sxft.load @w16 bytes 512
      sxft.load @w17 bytes 32
      sxft.exchange @v28_20 to @v28_21 bytes 256
      sxft.compute "matmul" on 2 span 1 @w16 reads [@v28_21] writes [@v29_22] flops 1024 {op = 10 : i64}
      sxft.compute "epilogue" on 2 span 1 reads [@v29_22, @w17] writes [@v29_22] flops 32 {op = 10 : i64}
    }
    sxft.step 11 attributes {layer = "layers.0", section = 2 : i64} {
      sxft.exchange @v29_22 to @v29_23 bytes 128
      sxft.compute "rowwise" on 0 span 1 reads [@v26_17, @v29_23] writes [@v30_24] flops 32 {op = 11 : i64}
    }
    sxft.step 12 attributes {layer = "final_ln", section = 3 : i64} {
      sxft.load @w18 bytes 32
      sxft.load @w19 bytes 32
      sxft.compute "rowwise" on 0 span 1 reads [@v30_24, @w18, @w19] writes [@v33_25] flops 256 {op = 12 : i64}
    }
    sxft.step 13 attributes {layer = "embed", section = 3 : i64} {
      sxft.compute "matmul" on 0 span 1 @w0 reads [@v33_25] writes [@v34_26] flops 1024 {op = 13 : i64}
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
      layers.0.attn.q.weight: "0x04000000A3E4EA3C5D24E73B059CF23C6DB0B6BBD0C23D3D637CD23C41979D3C3EA9C1BC535DBABB828FAE3CDC7B46BC40143D3CC2BF04BD474BD5BB7B4E56BCD6CBE53C966DEA3C8BC4183D31CE6E3BE2E717BC26FE63BCA67D9E3C234D40BCF6C6DC3CBED793BB1767A33C12B03A3B15664B3B70D2AB3D2C21833C6191F03CA5AF893B63A5053D182DED3CC2FA85BCEE04DF3CA8B9FE3DDE6C203DE768F93B2334ADBCA601A6BCBDE7E4BBCA6A6D3C72A5333CE09E74BDA22846BCE596E33C02A010BDCD60213CBCFFE23BB681B0396D64453CD5104BBE8C8BDD3CA31DD1B9E22BA7BA9426173DB6C239BAAA019A3CF7C9D2BC1E2D54BEDB3499BCC21CABBCB2329B3B",
      layers.0.attn.q.bias: "0x040000004DE83FBB8C982A3CB19603BD215687BCA3B33CBD85BBE3BC948581BCA702EE3B",
      layers.0.attn.k.weight: "0x040000001244E6BAC9424DBC7753FC39BCEB5DBC0D5A0BBEEB13823C56E9CDBB6C17183C21EB88BB89EE36BC317489BB8C9E0E3DACBCB3BD66ECB23CCD1EF53CE0D8E73C4D69963BB75BC5BC467F793CC7AC8E3C24E29C3D246293BCFA178A3B002FBA3CD688AABBCB64C23C28AA663B43F51CBB4CB2D5BD71297BBC83DECB3B0DDC2DBC0FDE4CBC46991F3B5064843C45F7243CF6FAA63C91F4873C48B7343C6057DF3C3CC478BBDD5DA63A9E507DBCE0E1E43CAA84C93D808EF5BCD889C8BC826BCABBDE8FBCBC77A3A33911DFF1BCD295AF3C6A93A23CC494463CFD9D28BCEB77B0BCB74D8FBC570C60BB9F007CBCDBDE8A3C08D38DBC2895213CE18D96BC3DF80FB9",
      layers.0.attn.k.bias: "0x040000008249D03C7AD70D3C8CBB64BBEC28113C048212BC70900BBD84F1BEBC2A22ABBB",
      layers.0.attn.v.weight: "0x04000000B673E3BCC40F88BCEB5496BC7587A03CD016DD3B6AF1A1BC2EB9AEBB49B1093D3566353CC4DC473C6680813D3BAF0FBCE6892DBC9ADF58BBEEC5853B304A8DBC2AC1FEBB3E14A73BA20A5ABC20A386BCA8427BBCCBA374BCE9561CBDD439B6BB0472E1BBA49AB63B9A6E21BDBE2A21BCB97AD1BC0307CB3C8CCA06BC6F0D95BB26B498BC58FAFA3A79E643BDF5A5E33B05AB1EB85127FD3AC6C8CEBC22EFF63C2981B53C35FAF4BBB31346BD1EEC0A3D323D5FBCC80B95BC93B43CBA42FD133BDDB11C3D6F5E3F3D4835C13C4DF0483A5CF3B1BB896F533D88607A3C8F45853C9A812938B61F07BC0A10AE3D6BA6C43CA564B4BB17FC433C68FC6CBC9DB86A3A",
      layers.0.attn.v.bias: "0x040000003C17D6BB01558FBCF69B103DD89C4E3C0795123A313F32BC75C1A23B637C80BC",
      layers.0.attn.o.weight: "0x04000000CB10633C60157C3C7CDAE73CF0ED353C6A8E1B3CC382773C88A1D33B93614ABAC52904BDC71BC1BCB44101BC5588873C0B7C7CBDA438173CCE0C37BCE93C38BDC9238ABAC003653B50441FBC5FCA9ABCE533373DCCFCA8BCEAD9533CA2CAE33A31C4213C77417B3C15B04E3D7049B23C7E38DF3DF695943C530146BD223A00BCE18FC53C4714313C8BB6C3BB8ED03DBCFE8A093DFEC8513C09317BBB551D573A0C63913C6A4B71BD9D64B8BBD8CA8DBA982F9F3C4837F9BCAB47A23BA3890BBD317AC0396D3498BBB6BF4D3D30F5E8BB7CFBACBB2ED8B0BC80358F3CAC52A73B85232C3C827942BC57D53FBCCB98B83CF160543DCB6F403C161AA33C98D34B3A",
      layers.0.attn.o.bias: "0x040000006947923CB9F8123CE4A138BB18892339B06C0BBC38E60EBD4AE075BC3C0FBFBC",
      layers.0.ln2.weight: "0x040000003F13803F36877E3F532D803F36E6823F24737C3F95EF813F2F2C813F9A4E7D3F",
      layers.0.ln2.bias: "0x04000000F426543C62FC2CBDAC6B903CD60B8F3CD5351F3C4B60A63C28F6463CF8B91EBC",
      layers.0.ffn.fc1.weight: "0x04000000F9FBD8BC3B90B23B4B80D03B17BF2BBCED38293DFA8D403DB3A6F0BD648CC73BB918653D8700EA3C9726FA3CF3029E3B1CBB98BCE090A73CA276C9BD8C4E983C687D02BC86972CBBC20DA1BC5771D43C4DE9C13A0E836E3C2FCF1CBEBC0B5EBCACC537BCAA9B8D3C65EDF93B9D0891BB16EAC93BA5C028BCC82A1CBEA2E92CBB2C5928BDFEABD73CCD74A5BC75B962BDE22C1FBC96F6B3B8F0FA833DAB50423C157C163C6BAE05BD53C1ADBC015D1BBDD7931B3C610D273CEB0411BDF86DE9BBF60D553CB6C09F3BF36F93BC5691043D2340653CEEEBB53C044B29BDBB0B293DEA1A813CB8FE873CF4EFD9BC6CCDD3BBC7B0173D8449E63C9EDD1B3C5EB2073CFD9AD7B9CAE7FABC6BC824BC76AFC2BC6DAE16BDE02E1A3DB1F772BEBCC3B0BCE95A3F3C2CBA3BBB83968EBC187CA53B4934FD3C932701BD00785FBD70A450BC77E9153C3619443D5E06983C67C7973CF493E9BBE94DDF3C9E1862BEDACD9ABB0E52BEBBD11D003CB363983C72196C3AD6FC59BCA75ECFBB059A52BD245E0F3C69A1663C605BE13C1B7E063D84B63F3CC570C7BC070C9ABB37A2E6BDFF21083D5A4B05BD0B5DBFBCD2AE93BC66F4B53BF8B7E83C1643823C8CB61CBD4A7E0F3C3844563C7FD38ABCE29B583C3F3F5ABC523538BCDCB186BBC4A8843DE8B88B3CECE375BC27EBA93CCCC5DC3CD127893B3276A93CA2614C3DD8885E3D4A24EABC",
      layers.0.ffn.fc1.bias: "0x040000009259C43A05F8CBBC94E5EEBB7CE39EBBD98F52BB2E8AB93C2C94883C32EA26BB97D9F9BB951511BC41F7CEBC48CFC6BC26CB19BC9EAC3CBBB70A443C6EA6A7BC",
      layers.0.ffn.fc2.weight: "0x0400000038D7213CBD7E62BB5278CB3B35348A3BF8678C3C4C61C53C111FB7BBAC828C3C85A762BC7AD3683C43E587BCAE85503C8378B83BA9DE2DBD49C4263CEBAF7FBB5A7B3D3B73BC87BC8462CEBC8936B2BCBD4C0E3CA5E89C3CA94AFB3B2CD7293D76DF1FBD22E7D53B2094F13BBFD6D8BC61431BBD28367BBB4D3095BB282922BD1819A4BBC863A43C6CCC863CFE9BB2BC92D82CBDA200FD3B24D48FBB9F5BEEB91589CB3B2AA12F3C21DB3F3C137C1D3C3812163DBCF0A53D7543553B9A72C03C003E783C52C268BDCBEBD33B00EDCE3C848EDEBBB711DEBBB84C12BDB1DB5B3D628C8CBC1E18293C2A51083D0ED49EBC39DF2B3B92B18FBC25A9633CB2C2E73B0489553C62C010BC544BF4BC221F4CBCC2AF8B3BF9D47C3A064800BDEDC19E3C2A47D5BC751EFCBBE85F6F3C7779BB3C3A56AB3CA4C87B3E8794973CB2886E3B3DF11F3CDE30943C151F373CD76D783CB80D003DC961C7BB54FCF5BCA84E22BC18CC3C3CA70EF43A18C15E3C2A02B7BAED29A5BC0C0E77BE9204C6BB0A7ABE3CD98804BC1DDF47BC119A0A3DDFD7FDBC2370523C4370C0BCF317933C35D1843C29E5883D940E80BCB9B1323D6BCC093BC010CC3C1C53FF3DC8DE4ABCFE2403BCA15162BC70894DBC1E25853BF191D6BC11FB9B3C810B89BC86342F3CD3B9E2BC313F503C70E8ED3972C90D3C1CCE4BBC615A213D59A211BDF2D0A03C20245F3C",
      layers.0.ffn.fc2.bias: "0x04000000789387BB5FA94C3DF40A143D03B8753CAD7D203B3B78403C2CC02CBC5EDAA8B9",
      final_ln.weight: "0x0400000072037F3F26D67E3FE833813F09AE793F12B9853FFAD87C3F433C823FBE39833F",
      final_ln.bias: "0x04000000B9F6563D7D4E0FBCFC3A8FBCFFA7CEBA11B0B13C7CAB183BBF42263ACDC3693C"
    }
  }
#-}

