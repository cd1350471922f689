/* SPDX-License-Identifier: MIT */
/*
 * Reconstruction (own code) of a real bug: torvalds/linux commit
 * c0b4a4feeb43305a754893d8d9c6b2b5a52d45ac "pinctrl: equilibrium: Fix
 * device node reference leak in pinbank_init()",
 * drivers/pinctrl/pinctrl-equilibrium.c, pinbank_init().
 * of_parse_phandle_with_fixed_args() hands back the "gpio-ranges" target
 * node in spec.np with a reference; the function copies two arguments out
 * of spec and returns without putting spec.np.  of_node_put written here
 * with a kref.
 */
#include <linux/kref.h>
#include <linux/slab.h>
#include "kernel_shim.h"

struct device { const char *name; };
struct device_node { struct kref kref; const char *name; };
#define MAX_PHANDLE_ARGS 16
struct of_phandle_args { struct device_node *np; int args_count; unsigned int args[MAX_PHANDLE_ARGS]; };
struct eqbr_pin_bank { void *membase; unsigned int id; unsigned int pin_base; unsigned int nr_pins; unsigned int aval_pinmap; };
struct eqbr_pinctrl_drv_data { struct device *dev; void *membase; };

/* On success, out_args->np holds a referenced node. */
int of_parse_phandle_with_fixed_args(const struct device_node *np, const char *list_name,
				     int cell_count, int index, struct of_phandle_args *out_args);
unsigned int readl(const void *addr);
#define REG_AVAIL	0x0
#define dev_err(dev, ...)	((void)(dev))

static int pinbank_init(struct device_node *np, struct eqbr_pinctrl_drv_data *drvdata,
			struct eqbr_pin_bank *bank, unsigned int id)
{
	struct device *dev = drvdata->dev;
	struct of_phandle_args spec;
	int ret;

	bank->membase = drvdata->membase + id * 0x100;
	bank->id = id;

	ret = of_parse_phandle_with_fixed_args(np, "gpio-ranges", 3, 0, &spec);	/* expect: rule 2 */
	if (ret) {
		dev_err(dev, "gpio-range not available!\n");
		return ret;
	}

	bank->pin_base = spec.args[1];
	bank->nr_pins = spec.args[2];

	bank->aval_pinmap = readl(bank->membase + REG_AVAIL);
	bank->id = id;

	return 0;
}

int eqbr_pinbank_probe(struct eqbr_pinctrl_drv_data *drvdata, struct device_node *np,
		       struct eqbr_pin_bank *banks, unsigned int nr_banks)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr_banks; i++) {
		ret = pinbank_init(np, drvdata, &banks[i], i);
		if (ret)
			return ret;
	}
	return 0;
}
