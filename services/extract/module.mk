# extract: data files compiled into the library, the score target.
# the tables the engine loads (cx_data_<name>); other files in data/ are sources
CX_TABLES    := countries places orgs titles triggers words calendar context roles
CX_DATA      := $(patsubst %,services/extract/data/%.tsv,$(CX_TABLES))
CX_EMBED     := $(BUILD)/host/cx_embed
CX_DATA_C    := $(BUILD)/gen/cx_data.c
CX_DATA_O    := $(BUILD)/obj/extract/cx_data.o
EXTRA_OBJS_extract := $(CX_DATA_O)

$(CX_EMBED): services/extract/gen/embed.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror $< -o $@

$(CX_DATA_C): $(CX_EMBED) $(wildcard $(CX_DATA)) services/extract/module.mk
	@mkdir -p $(@D)
	$(CX_EMBED) $(CX_DATA) > $@.tmp && mv $@.tmp $@

$(CX_DATA_O): $(CX_DATA_C)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

# `make score`: the scorer's table on the seeds, then on our own annotated
# sets (tests/data/extract: dev = tuned on, heldout = written blind first).
CX_SETS := $(basename $(basename $(wildcard tests/data/extract/*.gold.jsonl)))
score: $(BUILD)/bin/courant
	@mkdir -p $(BUILD)/score
	$(BUILD)/bin/courant extract ../shared/corpus/seeds.jsonl > $(BUILD)/score/seeds.pred.jsonl
	../shared/tools/score ../shared/corpus/seeds.gold.jsonl $(BUILD)/score/seeds.pred.jsonl
	@for set in $(CX_SETS); do \
	  name=$$(basename $$set); echo "--- $$name ($$set.jsonl)"; \
	  $(BUILD)/bin/courant extract $$set.jsonl > $(BUILD)/score/$$name.pred.jsonl && \
	  ../shared/tools/score $$set.gold.jsonl $(BUILD)/score/$$name.pred.jsonl; done
