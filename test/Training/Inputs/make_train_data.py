# Fixture for the sparse-train tests.
# A GPT-2 config of odd-ish sizes (3 heads of 8, FFN 40, vocabulary 29) and
# token windows with a rule a model learns in a few steps: each token is
# (previous + step) mod 29, with step 1 or 2 drawn per window.
import json, os, sys
import numpy as np

out = sys.argv[1]
os.makedirs(os.path.join(out, "cfg"), exist_ok=True)
V, S = 29, 12
cfg = {"model_type": "gpt2", "n_embd": 24, "n_head": 3, "n_layer": 2,
       "n_positions": 16, "vocab_size": V, "n_inner": 40,
       "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5}
json.dump(cfg, open(os.path.join(out, "cfg", "config.json"), "w"))
rng = np.random.RandomState(0)
def windows(n, L):
    start = rng.randint(0, V, size=(n, 1))
    step = rng.randint(1, 3, size=(n, 1))
    return ((start + step * np.arange(L)) % V).astype(np.int32)
np.save(os.path.join(out, "train.npy"), windows(200, S + 1))
np.save(os.path.join(out, "eval.npy"), windows(16, S))
np.save(os.path.join(out, "eval_odd.npy"), windows(15, S))
bad = windows(10, S + 1); bad[3, 7] = V
np.save(os.path.join(out, "bad_ids.npy"), bad)
np.save(os.path.join(out, "short.npy"), windows(10, S))
json.dump({"model_type": "bert", "hidden_size": 24, "num_attention_heads": 3,
           "num_hidden_layers": 1, "max_position_embeddings": 16,
           "vocab_size": V, "intermediate_size": 40},
          open(os.path.join(out, "bert.json"), "w"))
